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
        string status = rig.ClientId + "/status";
        AppPeer watcher = rig.Peer(subscribeTo: status);
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.WaitUntil(watcher.Changed, () => watcher.TextsOn(status).Contains("online"), 15, "online on " + status);

            // Someone opening the dashboard later still sees it: the broker kept it (retained).
            AppPeer opened = rig.Peer(subscribeTo: status);
            rig.WaitUntil(opened.Changed, () => opened.Received.Any(m => m.Topic == status), 10, "the retained status");
            var kept = opened.Received.Single(m => m.Topic == status);
            Assert.Equal("online", System.Text.Encoding.UTF8.GetString(kept.Payload));
            Assert.True(kept.Retain, "online must be retained so a dashboard opened later sees it");

            // The board vanishes (power or WiFi gone): the TCP connection is reset, no DISCONNECT is sent,
            // so the broker publishes the will. The proxy stays closed so the device cannot come back yet.
            rig.Proxy.Blocked = true;
            rig.Proxy.Cut();
            rig.WaitUntil(watcher.Changed, () => watcher.TextsOn(status).Contains("offline"), 10, "the will's offline");

            AppPeer late = rig.Peer(subscribeTo: status);
            rig.WaitUntil(late.Changed, () => late.TextsOn(status).Length > 0, 10, "the retained status for a late subscriber");
            Assert.Equal(new[] { "offline" }, late.TextsOn(status));
            Assert.True(late.Received.Single().Retain, "the will's offline must be retained");

            rig.Proxy.Blocked = false;
            rig.WaitUntil(watcher.Changed, () => watcher.TextsOn(status).Count(t => t == "online") >= 2, 15, "online again after reconnecting");
            Assert.Equal(new[] { "online", "offline", "online" }, watcher.TextsOn(status));

            // Switched off on purpose: the device says offline itself (and, as M2Mqtt sends no DISCONNECT, the
            // broker publishes the will too).
            rig.Device.Stop();
            rig.WaitUntil(watcher.Changed, () => watcher.TextsOn(status).Length >= 4, 10, "offline after Stop()");
            Assert.Equal("offline", watcher.TextsOn(status)[3]);
        });
    }
}
