using System.Text;
using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

/// <summary>The monitor mirrored to MQTT: on fakes, time driven by the test.</summary>
public class MonitorMirrorTests
{
    private const string MonitorTopic = "240ac412abfe/monitor";

    private static DeviceRig MirroredRig()
    {
        var rig = new DeviceRig();
        rig.Settings.Settings.MonitorTopic = "{clientId}/monitor";
        return rig;
    }

    private static string[] Mirrored(DeviceRig rig) => rig.Mqtt.PublishedTexts(MonitorTopic).ToArray();

    /// <summary>A mirror on its own, capacity 4, one line per 100 ms after the burst.</summary>
    private sealed class Bench
    {
        public FakeClock Clock { get; } = new();
        public RecordingMonitor Monitor { get; } = new();
        public FakeMqtt Mqtt { get; } = new() { IsConnected = true }; // an open connection, without the Device
        public MonitorMirror Mirror { get; }

        public Bench(int capacity = 4, int maxChars = 4096)
        {
            Mirror = new MonitorMirror(Monitor, Clock, capacity, maxChars, 100);
            Mirror.SetTopic("m");
        }

        public string[] Sent => Mqtt.PublishedTexts("m").ToArray();
    }

    [Fact]
    public void Every_line_is_published_to_the_monitor_topic_in_order_at_qos_0_not_retained()
    {
        var rig = MirroredRig().StartOnline();
        rig.Mqtt.Listener.OnMessage("topic1", Encoding.UTF8.GetBytes("on"), 1);
        rig.Device.Step();

        Assert.Equal(rig.Monitor.Lines, Mirrored(rig));
        Assert.All(rig.Mqtt.Publishes.Where(p => p.Topic == MonitorTopic), p => Assert.Equal((0, false), (p.Qos, p.Retain)));
        Assert.Equal("Received on topic1: on", Mirrored(rig).Last());
    }

    [Fact]
    public void Lines_printed_offline_go_out_after_the_connect_oldest_first_marked_with_how_long_ago()
    {
        var rig = MirroredRig();
        rig.Network.ConnectResults.Enqueue(WifiConnectStatus.TimedOut);
        rig.Mqtt.NextConnect(ConnectResult.BadUsernameOrPassword);
        rig.StartOnline();

        string[] sent = Mirrored(rig);
        // The broker sees exactly the monitor's lines, in its order, the failures included.
        Assert.Equal(rig.Monitor.Lines.Count, sent.Length);
        for (int i = 0; i < sent.Length; i++)
        {
            Assert.EndsWith(rig.Monitor.Lines[i], sent[i]);
        }

        Assert.Matches(@"^\(\d+ s ago\) IotyDevice: starting$", sent[0]);
        Assert.Contains(sent, l => l.StartsWith("MQTT: refused: bad user name or password", StringComparison.Ordinal)); // 0.9 s ago: no mark
        Assert.Equal("MQTT: connected (new session)", sent.Single(l => l.Contains("MQTT: connected")));
    }

    [Fact]
    public void What_the_ring_had_to_drop_is_counted_in_one_line_before_the_rest()
    {
        var bench = new Bench();
        for (int i = 1; i <= 10; i++) bench.Mirror.WriteLine("line " + i);
        bench.Mirror.Pump(bench.Mqtt);

        Assert.Equal(10, bench.Monitor.Lines.Count); // the monitor itself has them all
        Assert.Equal(new[]
        {
            "Monitor: 6 earlier lines not sent here (the mirror keeps at most 4 lines or 4096 characters and sends about 10 a second; the serial monitor shows every line)",
            "line 7", "line 8", "line 9", "line 10",
        }, bench.Sent);
    }

    [Fact]
    public void Long_lines_are_kept_within_the_character_bound_by_dropping_the_oldest()
    {
        var bench = new Bench(capacity: 4, maxChars: 100);
        for (int i = 1; i <= 4; i++) bench.Mirror.WriteLine(i + new string('x', 39)); // 40 characters each
        Assert.Equal(2, bench.Mirror.Waiting); // 4 lines fit the ring, but only 2 of them fit 100 characters
        bench.Mirror.Pump(bench.Mqtt);

        Assert.StartsWith("Monitor: 2 earlier lines not sent here", bench.Sent[0]);
        Assert.Equal(new[] { "3", "4" }, bench.Sent.Skip(1).Select(l => l[..1]));
    }

    [Fact]
    public void Lines_that_exactly_fill_the_character_bound_are_all_kept()
    {
        var bench = new Bench(capacity: 4, maxChars: 100);
        bench.Mirror.WriteLine(new string('a', 50));
        bench.Mirror.WriteLine(new string('b', 50));
        Assert.Equal(2, bench.Mirror.Waiting);
        bench.Mirror.Pump(bench.Mqtt);
        Assert.Equal(new[] { new string('a', 50), new string('b', 50) }, bench.Sent);
    }

    [Fact]
    public void A_single_line_longer_than_the_character_bound_is_still_kept_and_sent()
    {
        var bench = new Bench(capacity: 4, maxChars: 10);
        bench.Mirror.WriteLine(new string('x', 20));
        bench.Mirror.Pump(bench.Mqtt);
        Assert.Equal(new[] { new string('x', 20) }, bench.Sent);
    }

    [Fact]
    public void A_printed_line_of_400_characters_is_sent_whole_and_a_longer_one_is_cut_to_400_and_three_dots()
    {
        var bench = new Bench();
        bench.Mirror.WriteLine(new string('a', 400));
        bench.Mirror.WriteLine(new string('b', 401));
        bench.Mirror.Pump(bench.Mqtt);
        Assert.Equal(new[] { new string('a', 400), new string('b', 400) + "..." }, bench.Sent);
    }

    [Fact]
    public void Lines_printed_before_the_topic_is_known_wait_for_it()
    {
        var clock = new FakeClock();
        var mqtt = new FakeMqtt { IsConnected = true };
        var mirror = new MonitorMirror(new RecordingMonitor(), clock, 4, 4096, 100);
        mirror.WriteLine("early");
        mirror.Pump(mqtt);
        Assert.Empty(mqtt.Publishes);

        mirror.SetTopic("m");
        mirror.Pump(mqtt);
        Assert.Equal(new[] { "early" }, mqtt.PublishedTexts("m"));
    }

    [Fact]
    public void The_count_of_dropped_lines_whose_publish_failed_is_sent_on_the_next_pass()
    {
        var bench = new Bench();
        for (int i = 1; i <= 6; i++) bench.Mirror.WriteLine("line " + i);
        bench.Mqtt.ThrowOnPublish = true;
        bench.Mirror.Pump(bench.Mqtt);
        Assert.Empty(bench.Mqtt.Publishes);

        bench.Mqtt.ThrowOnPublish = false;
        bench.Mirror.Pump(bench.Mqtt);
        Assert.StartsWith("Monitor: 2 earlier lines not sent here", bench.Sent[0]);
        Assert.Equal(new[] { "line 3", "line 4", "line 5", "line 6" }, bench.Sent.Skip(1));
    }

    [Fact]
    public void After_a_burst_of_the_ring_it_sends_one_line_per_interval()
    {
        var bench = new Bench();
        for (int i = 1; i <= 4; i++) bench.Mirror.WriteLine("line " + i);
        bench.Mirror.Pump(bench.Mqtt);
        Assert.Equal(4, bench.Sent.Length); // the burst: the whole ring

        bench.Mirror.WriteLine("line 5");
        bench.Mirror.WriteLine("line 6");
        bench.Clock.Advance(99);
        bench.Mirror.Pump(bench.Mqtt);
        Assert.Equal(4, bench.Sent.Length);
        bench.Clock.Advance(1);
        bench.Mirror.Pump(bench.Mqtt);
        Assert.Equal(new[] { "line 1", "line 2", "line 3", "line 4", "line 5" }, bench.Sent);
        bench.Clock.Advance(100);
        bench.Mirror.Pump(bench.Mqtt);
        Assert.Equal("line 6", bench.Sent.Last());
        Assert.Equal(0, bench.Mirror.Waiting);
    }

    [Fact]
    public void After_a_long_quiet_spell_a_flood_still_gets_only_one_ring_of_burst()
    {
        var bench = new Bench();
        bench.Clock.Advance(60_000); // quiet for a minute: 600 intervals, but the burst stays one ring
        for (int i = 1; i <= 4; i++) bench.Mirror.WriteLine("line " + i);
        bench.Mirror.Pump(bench.Mqtt);
        Assert.Equal(4, bench.Sent.Length);

        for (int i = 5; i <= 8; i++) bench.Mirror.WriteLine("line " + i);
        bench.Mirror.Pump(bench.Mqtt);
        Assert.Equal(4, bench.Sent.Length);
        bench.Clock.Advance(100);
        bench.Mirror.Pump(bench.Mqtt);
        Assert.Equal("line 5", bench.Sent.Last());
        Assert.Equal(3, bench.Mirror.Waiting);
    }

    [Fact]
    public void A_line_kept_a_second_or_more_says_how_many_whole_seconds_ago()
    {
        var bench = new Bench();
        bench.Mirror.WriteLine("oldest");
        bench.Clock.Advance(2_000);
        bench.Mirror.WriteLine("second"); // sent exactly 1 s later
        bench.Clock.Advance(1);
        bench.Mirror.WriteLine("third");  // 999 ms: no mark
        bench.Clock.Advance(999);
        bench.Mirror.Pump(bench.Mqtt);

        Assert.Equal(new[] { "(3 s ago) oldest", "(1 s ago) second", "third" }, bench.Sent);
    }

    [Fact]
    public void A_mirror_turned_off_stays_off_and_forgets_what_it_kept()
    {
        var bench = new Bench();
        bench.Mirror.WriteLine("before");
        bench.Mirror.SetTopic("");
        bench.Mirror.WriteLine("after");
        Assert.Equal(0, bench.Mirror.Waiting);

        bench.Mirror.SetTopic("m");
        bench.Mirror.WriteLine("later");
        bench.Mirror.Pump(bench.Mqtt);
        Assert.Empty(bench.Sent);
        Assert.Equal(new[] { "before", "after", "later" }, bench.Monitor.Lines); // the serial monitor has them all
    }

    [Fact]
    public void Turning_the_mirror_off_lets_the_lines_it_kept_be_collected()
    {
        // On a board without PSRAM the kept lines (up to 4096 characters) are heap the learner needs back.
        var mirror = new MonitorMirror(new SerialThatKeepsNothing(), new FakeClock(), 4, 4096, 100);
        mirror.SetTopic("m");
        WeakReference[] kept = KeepLines(mirror, 4);

        mirror.SetTopic("");
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.All(kept, line => Assert.False(line.IsAlive, "a line the mirror kept is still reachable after it was turned off"));
        GC.KeepAlive(mirror);
    }

    /// <summary>Lines made here, so only the mirror holds them once this returns.</summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static WeakReference[] KeepLines(MonitorMirror mirror, int count)
    {
        var kept = new WeakReference[count];
        for (int i = 0; i < count; i++)
        {
            string line = new string('x', 100) + i;
            mirror.WriteLine(line);
            kept[i] = new WeakReference(line);
        }
        return kept;
    }

    /// <summary>A serial monitor that prints nothing and keeps nothing, so only the mirror can hold a line.</summary>
    private sealed class SerialThatKeepsNothing : IMonitor
    {
        public void WriteLine(string line) { }

        public void WriteLine(char[] chars, int count) { }
    }

    [Fact]
    public void A_message_line_printed_after_the_mirror_is_turned_off_is_not_kept()
    {
        var bench = new Bench();
        bench.Mirror.SetTopic("");
        bench.Mirror.WriteLine("Received on topic1: on".ToCharArray(), 22);
        Assert.Equal(0, bench.Mirror.Waiting);

        bench.Mirror.SetTopic("m");
        bench.Mirror.Pump(bench.Mqtt);
        Assert.Empty(bench.Sent);
        Assert.Equal(new[] { "Received on topic1: on" }, bench.Monitor.Lines);
    }

    [Fact]
    public void A_flood_on_topic1_is_not_a_flood_on_the_monitor_topic()
    {
        var rig = MirroredRig().StartOnline();
        int before = Mirrored(rig).Length;
        for (int round = 0; round < 100; round++)
        {
            for (int i = 0; i < rig.Options.InboxCapacity; i++)
                rig.Mqtt.Listener.OnMessage("topic1", Encoding.UTF8.GetBytes("m" + (round * 100 + i)), 0);
            rig.Device.Step();
            rig.Clock.Advance(1);
        }

        Assert.Equal(1600, rig.Monitor.Count("Received on topic1: m"));
        string[] flood = Mirrored(rig).Skip(before).ToArray();
        // 100 ms of flood: what was left of the burst, then one line per 100 ms, each gap counted in a line before it.
        Assert.InRange(flood.Length, 1, 2 * (rig.Options.MonitorMirrorLines + 2));
        Assert.Contains(flood, l => l.StartsWith("Received on topic1: m", StringComparison.Ordinal));
        Assert.Contains(flood, l => l.StartsWith("Monitor: ", StringComparison.Ordinal) && l.Contains(" earlier lines not sent here"));
    }

    [Fact]
    public void A_line_whose_publish_fails_waits_for_the_next_connection()
    {
        var rig = MirroredRig().StartOnline();
        rig.Mqtt.ThrowOnPublish = true;
        rig.Mqtt.Listener.OnMessage("topic1", Encoding.UTF8.GetBytes("kept"), 1);
        rig.Device.Step();
        Assert.DoesNotContain("Received on topic1: kept", Mirrored(rig));

        rig.Mqtt.ThrowOnPublish = false;
        rig.Mqtt.RaiseConnectionClosed();
        Assert.True(rig.RunUntil(() => Mirrored(rig).Any(l => l.EndsWith("Received on topic1: kept", StringComparison.Ordinal))), rig.Monitor.Transcript);
    }

    [Fact]
    public void A_message_line_is_cut_on_the_mirror_as_on_the_monitor()
    {
        var rig = MirroredRig().StartOnline();
        rig.Mqtt.Listener.OnMessage("topic1", Encoding.UTF8.GetBytes(new string('x', 500) + "é"), 1);
        rig.Device.Step();

        string line = rig.Monitor.Lines.Last();
        Assert.EndsWith("... (502 bytes)", line);
        Assert.Equal(line, Mirrored(rig).Last());
    }

    [Fact]
    public void Non_ascii_and_emoji_lines_are_sent_as_utf8()
    {
        var rig = MirroredRig().StartOnline();
        rig.Mqtt.Listener.OnMessage("topic1", Encoding.UTF8.GetBytes("é 😀"), 1);
        rig.Device.Step();
        Assert.Equal("Received on topic1: é 😀", Mirrored(rig).Last());
    }

    [Fact]
    public void An_empty_monitor_topic_publishes_nothing_and_keeps_nothing()
    {
        var rig = new DeviceRig();
        rig.Settings.Settings.MonitorTopic = "";
        rig.StartOnline();
        rig.Mqtt.Listener.OnMessage("topic1", Encoding.UTF8.GetBytes("on"), 1);
        rig.Device.Step();
        Assert.Equal(new[] { "240ac412abfe/status" }, rig.Mqtt.Publishes.Select(p => p.Topic).Distinct());
    }

    [Fact]
    public void No_password_is_ever_mirrored_whatever_failed_on_the_way()
    {
        const string wifiPassword = "wifi-PW-9f3k2";
        const string brokerPassword = "broker-PW-7q1x8";
        var rig = MirroredRig();
        rig.Options.MonitorMirrorLines = 1000; // every line of every failure reaches the broker
        // First the settings are wrong (with the passwords in them), then fixed while the device waits.
        rig.Settings.Settings.WifiPassword = wifiPassword;
        rig.Settings.Settings.BrokerPassword = brokerPassword;
        rig.Settings.Settings.BrokerPort = 0;
        rig.Start();
        rig.Settings.Settings.BrokerPort = 8883;
        rig.Network.ConnectResults.Enqueue(WifiConnectStatus.TimedOut);
        rig.Network.ConnectResults.Enqueue(WifiConnectStatus.NoIpAddress);
        rig.Mqtt.NextConnect(ConnectResult.BadUsernameOrPassword);
        rig.Mqtt.NextConnect(ConnectResult.NotAuthorized);
        foreach (TransportFault fault in Enum.GetValues<TransportFault>())
            rig.Mqtt.NextConnect(new MqttTransportException(fault, "the library's words", null));
        rig.Mqtt.NextConnect(new InvalidOperationException("boom"));
        Assert.True(rig.RunUntil(() => rig.Device.State == ConnectionState.Online, 3_600_000), rig.Monitor.Transcript);
        rig.Mqtt.RaiseConnectionClosed();
        rig.RunUntil(() => rig.Device.State == ConnectionState.Online, 3_600_000);
        rig.Hold(60_000); // the burst and the paced rest

        string[] sent = Mirrored(rig);
        Assert.Contains(sent, l => l.Contains("Settings: OK now"));
        Assert.Contains(sent, l => l.Contains("WiFi:") && l.Contains("next try"));
        Assert.Contains(sent, l => l.Contains("MQTT: refused"));
        Assert.All(sent.Concat(rig.Monitor.Lines), l =>
        {
            Assert.DoesNotContain(wifiPassword, l);
            Assert.DoesNotContain(brokerPassword, l);
        });
    }
}
