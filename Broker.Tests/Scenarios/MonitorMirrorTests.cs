using System.Text.RegularExpressions;
using Broker.Tests.Infrastructure;
using Xunit;

namespace Broker.Tests.Scenarios;

/// <summary>The monitor mirrored to &lt;clientId&gt;/monitor (setting MonitorTopic, on by default): what a Display
/// widget or the monitor command sees.</summary>
public sealed class MonitorMirrorTests
{
    private static readonly Regex Ago = new(@"^\(\d+ s ago\) ");

    [Fact]
    public void A_subscriber_sees_the_device_lines_in_order_including_those_printed_while_the_broker_was_down()
    {
        using var rig = new Rig(nameof(A_subscriber_sees_the_device_lines_in_order_including_those_printed_while_the_broker_was_down), viaProxy: true);
        string monitor = rig.ClientId + "/monitor";
        AppPeer before = rig.Peer(subscribeTo: "+/monitor");
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.WaitUntil(before.Changed, () => before.TextsOn(monitor).Contains("MQTT: subscribed to topic1"), 15, "the connect lines on " + monitor);
            using (AppPeer app = AppPeers.Connect(rig.Broker)) app.Publish("topic1", "before the crash");
            rig.WaitUntil(before.Changed, () => before.TextsOn(monitor).Contains("Received on topic1: before the crash"), 10, "the message line on " + monitor);
            // Everything the device printed until now, in order, none marked (sent as printed).
            string[] live = rig.Device.Monitor.Lines.ToArray();
            Assert.Equal(live, before.TextsOn(monitor).Take(live.Length));

            // The broker dies; the proxy keeps the device away until a subscriber is back on the new broker.
            int down = rig.Device.Monitor.LineCount;
            rig.Proxy.Blocked = true;
            rig.Broker.Kill();
            rig.Device.WaitForLine("MQTT: connection lost");
            rig.Device.WaitForLine("MQTT: next try in", count: rig.Device.Monitor.Count("MQTT: next try in") + 2);
            Thread.Sleep(1500); // the offline lines are over a second old when they go out, so they carry the mark
            rig.Broker.Start();
            AppPeer after = rig.Peer(subscribeTo: "+/monitor");
            rig.Proxy.Blocked = false;
            rig.WaitUntil(after.Changed, () => after.TextsOn(monitor).Contains("MQTT: subscribed to topic1"), 20, "the reconnect lines on " + monitor);

            string[] printed = rig.Device.Monitor.Lines.ToArray();
            int reconnected = Array.LastIndexOf(printed, "MQTT: subscribed to topic1");
            string[] offline = printed.Skip(down).Take(reconnected + 1 - down).ToArray();
            string[] sent = after.TextsOn(monitor);
            sent = sent.Take(Array.IndexOf(sent, "MQTT: subscribed to topic1") + 1).ToArray();
            Assert.Contains("MQTT: connection lost; reconnecting", offline);
            Assert.True(offline.Length <= rig.Device.Options.MonitorMirrorLines, "more offline lines than the ring holds: " + offline.Length);
            Assert.Equal(offline, sent.Select(t => Ago.Replace(t, "")));
            Assert.Matches(Ago, sent.Single(t => t.EndsWith("MQTT: connection lost; reconnecting", StringComparison.Ordinal)));
            Assert.DoesNotMatch(Ago, sent.Last());
        });
    }
}
