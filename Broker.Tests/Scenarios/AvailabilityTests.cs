using Broker.Tests.Infrastructure;
using Xunit;

namespace Broker.Tests.Scenarios;

/// <summary>Scenario 2: the App Builder can tell whether the board is there, from &lt;clientId&gt;/status.</summary>
public sealed class AvailabilityTests
{
    [Fact]
    public void Status_is_retained_online_and_the_will_says_offline_when_the_connection_dies_abruptly()
    {
        using var rig = new Rig(nameof(Status_is_retained_online_and_the_will_says_offline_when_the_connection_dies_abruptly), viaProxy: true);
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.Device.WaitForLine("MQTT: connected");
            string status = rig.ClientId + "/status";

            AppPeer watcher = rig.Peer(subscribeTo: status);
            rig.WaitUntil(watcher.Changed, () => watcher.Received.Any(m => m.Topic == status), 10, "the retained status");
            var first = watcher.Received.First(m => m.Topic == status);
            Assert.Equal("online", System.Text.Encoding.UTF8.GetString(first.Payload));
            Assert.True(first.Retain, "online must be retained so a dashboard opened later sees it");

            // The board vanishes (power or WiFi gone): the TCP connection is reset, no DISCONNECT is sent,
            // so the broker publishes the will. The proxy stays closed so the device cannot come back yet.
            rig.Proxy.Blocked = true;
            rig.Proxy.Cut();
            rig.WaitUntil(watcher.Changed, () => watcher.TextsOn(status).Contains("offline"), 10, "the will's offline");

            AppPeer late = rig.Peer(subscribeTo: status);
            rig.WaitUntil(late.Changed, () => late.TextsOn(status).Length > 0, 10, "the retained status for a late subscriber");
            Assert.Equal(new[] { "offline" }, late.TextsOn(status));

            rig.Proxy.Blocked = false;
            rig.WaitUntil(watcher.Changed, () => watcher.TextsOn(status).Count(t => t == "online") >= 2, 15, "online again after reconnecting");
            Assert.Equal(new[] { "online", "offline", "online" }, watcher.TextsOn(status));
        });
    }
}
