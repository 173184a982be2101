using Broker.Tests.Infrastructure;
using Xunit;

namespace Broker.Tests.Scenarios;

/// <summary>Scenario 8: the WiFi goes away and comes back.</summary>
public sealed class WifiDropTests
{
    [Fact]
    public void WiFi_drop_stops_publishing_then_WiFi_and_MQTT_reconnect_in_order_and_topic1_is_resubscribed()
    {
        using var rig = new Rig(nameof(WiFi_drop_stops_publishing_then_WiFi_and_MQTT_reconnect_in_order_and_topic1_is_resubscribed), viaProxy: true);
        AppPeer app = rig.Peer(subscribeTo: "topic2");
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.WaitForSubscriptions(1);
            rig.Device.WaitForLine("MQTT: subscribed to topic1");
            int dropAt = rig.Device.Monitor.LineCount;

            // The radio link goes: no IP, and the TCP connection to the broker dies with it.
            rig.Device.Network.Drop();
            rig.Proxy.Blocked = true;
            rig.Proxy.Cut();
            rig.Device.WaitForLine("WiFi: connection lost");
            rig.Device.PressBoot();
            rig.Device.WaitForLine("BOOT: not connected; hello will be sent once MQTT is connected");
            rig.Device.WaitForLine("WiFi: connecting to ioty-lab", count: 3); // keeps trying while away
            Assert.Empty(app.TextsOn("topic2"));
            Assert.Equal(0, rig.Device.Monitor.Count("BOOT: sent hello"));

            rig.Proxy.Blocked = false;
            rig.Device.Network.Restore();
            rig.WaitForSubscriptions(2);
            rig.WaitUntil(app.Changed, () => app.TextsOn("topic2").Length >= 1, 10, "the hello kept from the press while offline");

            rig.Device.WaitForLine("MQTT: subscribed to topic1", count: 2); // said when the SUBACK arrives
            string[] after = rig.Device.Monitor.Lines.Skip(dropAt).ToArray();
            int lost = Array.FindIndex(after, l => l.StartsWith("WiFi: connection lost"));
            int wifi = Array.FindIndex(after, l => l == "WiFi: connected");
            int mqtt = Array.FindIndex(after, l => l.StartsWith("MQTT: connected"));
            int subscribed = Array.FindLastIndex(after, l => l.StartsWith("MQTT: subscribed to topic1"));
            int sent = Array.FindIndex(after, l => l.StartsWith("BOOT: sent hello"));
            // "subscribed" waits for the SUBACK, which may come before or after the kept hello goes out.
            Assert.True(0 <= lost && lost < wifi && wifi < mqtt && mqtt < subscribed && mqtt < sent,
                $"expected lost < WiFi connected < MQTT connected < (subscribed, sent), got {lost}, {wifi}, {mqtt}, {subscribed}, {sent}");

            app.Publish("topic1", "back");
            rig.Device.WaitForLine("Received on topic1: back");
            Assert.Equal(new[] { "hello" }, app.TextsOn("topic2"));
        });
    }
}
