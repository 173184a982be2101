using Broker.Tests.Infrastructure;
using Xunit;

namespace Broker.Tests.Scenarios;

/// <summary>Scenario 4: the broker crashes and comes back (same port) again and again.</summary>
public sealed class BrokerRestartTests
{
    [Fact]
    public void Device_reconnects_resubscribes_and_prints_after_each_of_ten_broker_crashes()
    {
        // No persistence: each restart forgets the session, so a message only arrives if the device subscribed again.
        using var rig = new Rig(nameof(Device_reconnects_resubscribes_and_prints_after_each_of_ten_broker_crashes));
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.WaitForSubscriptions(1);
            for (int restart = 1; restart <= 10; restart++)
            {
                rig.Broker.Kill();
                rig.Broker.Start();
                rig.WaitForSubscriptions(restart + 1);
                using (AppPeer app = AppPeers.Connect(rig.Broker))
                    app.Publish("topic1", "after restart " + restart);
                rig.Device.WaitForLine("Received on topic1: after restart " + restart);
            }
            Assert.Equal(10, rig.Device.Monitor.Count("MQTT: connection lost"));
            Assert.True(rig.Device.IsAlive);
        });
    }
}
