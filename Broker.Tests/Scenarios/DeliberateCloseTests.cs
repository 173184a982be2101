using Broker.Tests.Infrastructure;
using Xunit;

namespace Broker.Tests.Scenarios;

/// <summary>The core closes a connection the library still thinks is open (the WiFi went and the core noticed
/// first). On the board, M2Mqtt's Close() sends no DISCONNECT and throws away the messages it has already
/// acknowledged but not yet handed over; the host transport does the same, so these hold on the board too.</summary>
public sealed class DeliberateCloseTests
{
    [Fact]
    public void QoS1_messages_acknowledged_before_a_WiFi_loss_the_core_noticed_first_are_all_printed()
    {
        using var rig = new Rig(nameof(QoS1_messages_acknowledged_before_a_WiFi_loss_the_core_noticed_first_are_all_printed),
            broker: new BrokerOptions { LogTypes = new[] { "all" } });
        AppPeer app = rig.Peer();
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.WaitForSubscriptions(1);

            // A burst arrives while the loop is busy printing (the serial port held): the library acknowledges
            // all of it at once, as M2Mqtt does, and hands it over; a burst the inbox holds (16) is all kept.
            const int count = 16;
            using var printing = new ManualResetEventSlim(false);
            rig.Device.Monitor.OnMessageLine = (_, _) => printing.Wait(TimeSpan.FromSeconds(15));
            for (int i = 1; i <= count; i++) app.Publish("topic1", "burst " + i, qos: 1);
            rig.WaitUntil(rig.Broker.Changed, () => rig.Broker.CountLog("Received PUBACK from " + rig.ClientId) >= count, 10,
                "the device's PUBACKs for the whole burst");
            Assert.Equal(0, rig.Device.Monitor.Count("Received on topic1: burst "));

            rig.Device.Network.Drop();
            printing.Set();
            rig.Device.WaitForLine("Received on topic1: burst " + count, timeoutSeconds: 10);
            rig.Device.WaitForLine("WiFi: connecting to");
            string[] printed = rig.Device.Monitor.Lines.Where(l => l.StartsWith("Received on topic1: burst ")).ToArray();
            Assert.Equal(Enumerable.Range(1, count).Select(i => "Received on topic1: burst " + i), printed);
            Assert.Equal(0, rig.Device.Monitor.Count("MQTT: closed while messages were still arriving"));
        });
    }

    [Fact]
    public void A_WiFi_loss_the_core_noticed_first_lets_the_broker_publish_the_offline_will()
    {
        using var rig = new Rig(nameof(A_WiFi_loss_the_core_noticed_first_lets_the_broker_publish_the_offline_will));
        string status = rig.ClientId + "/status";
        AppPeer watcher = rig.Peer(subscribeTo: status);
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.WaitUntil(watcher.Changed, () => watcher.TextsOn(status).Contains("online"), 15, "online on " + status);

            // The device publishes offline itself only when it is stopped: this one can only be the will.
            rig.Device.Network.Drop();
            rig.WaitUntil(watcher.Changed, () => watcher.TextsOn(status).Contains("offline"), 10, "the will's offline");
            Assert.Equal(new[] { "online", "offline" }, watcher.TextsOn(status));
            Assert.Equal(1, rig.Broker.CountLog("Client " + rig.ClientId + " closed its connection"));
        });
    }
}
