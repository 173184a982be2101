using Broker.Tests.Infrastructure;
using IotyDevice.Core;
using Xunit;

namespace Broker.Tests.Scenarios;

/// <summary>Scenario 1: what a learner does with the IoTy App Builder, end to end through Mosquitto.</summary>
public sealed class IotyFlowTests
{
    [Fact]
    public void Device_prints_on_and_off_in_order_and_sends_one_hello_per_bouncy_BOOT_press()
    {
        using var rig = new Rig(nameof(Device_prints_on_and_off_in_order_and_sends_one_hello_per_bouncy_BOOT_press));
        AppPeer app = rig.Peer(subscribeTo: "topic2");
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.Device.WaitForLine("MQTT: connected");
            rig.WaitForSubscriptions(1);

            // The client ID the broker sees is the chip ID: 12 lowercase hex digits of the WiFi MAC.
            Assert.Equal("240ac4123abc", rig.ClientId);
            Assert.Equal(1, rig.Broker.CountLog(" as " + ChipId.FromMac(DeviceUnderTest.DefaultMac) + " (p5, c0, "));

            app.Publish("topic1", "on");
            app.Publish("topic1", "off");
            rig.Device.WaitForLine("Received on topic1: off");
            string[] received = rig.Device.Monitor.Lines.Where(l => l.StartsWith("Received on ")).ToArray();
            Assert.Equal(new[] { "Received on topic1: on", "Received on topic1: off" }, received);

            for (int press = 1; press <= 3; press++)
            {
                rig.Device.PressBoot();
                rig.Device.WaitForLine("BOOT: sent hello to topic2", press);
            }
            rig.WaitUntil(app.Changed, () => app.TextsOn("topic2").Length >= 3, 10, "3 hellos at the App Builder");
            Assert.False(app.Changed.WaitUntil(() => app.TextsOn("topic2").Length > 3, TimeSpan.FromMilliseconds(500)), "more than 3 hellos arrived");
            Assert.Equal(new[] { "hello", "hello", "hello" }, app.TextsOn("topic2"));
            Assert.Equal(3, rig.Device.Monitor.Count("BOOT: sent hello to topic2"));
        });
    }
}
