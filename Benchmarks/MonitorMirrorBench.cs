using System.Buffers;
using System.Diagnostics;
using System.Text;
using IotyDevice.Core;
using IotyDevice.TestKit;

namespace IotyDevice.Benchmarks;

/// <summary>Section 8: what mirroring the monitor to MQTT (setting MonitorTopic) costs. Two real cores on one Mosquitto
/// over TLS, alike but for the mirror: "on" (MonitorTopic {clientId}/monitor, the default, with a Display-like subscriber
/// on +/monitor) and "off" (MonitorTopic ""), each on its own topic, measured in the same run, rounds interleaved.</summary>
public static class MonitorMirrorBench
{
    public const string Section = "8. Monitor mirrored to MQTT";
    private static readonly byte[] MacOn = { 0x24, 0x0A, 0xC4, 0x00, 0x00, 0x01 };
    private static readonly byte[] MacOff = { 0x24, 0x0A, 0xC4, 0x00, 0x00, 0x02 };
    private const string TopicOn = "on/topic1";
    private const string TopicOff = "off/topic1";

    public static void Run(BenchReport report, int samples, int floodMessages)
    {
        using MosquittoBroker broker = Live.Broker("mirror");
        using DeviceUnderTest on = Start(broker, "mirror-on", MacOn, TopicOn, "{clientId}/monitor");
        using DeviceUnderTest off = Start(broker, "mirror-off", MacOff, TopicOff, "");
        using AppPeer app = AppPeers.Connect(broker, "mirror-app");
        using AppPeer display = AppPeers.Connect(broker, "mirror-display"); // the App Builder Display on the monitor
        display.Subscribe("+/monitor", qos: 0);
        MessageToHandled(report, on, off, app, samples);
        Flood(report, on, off, app, display, floodMessages);
    }

    private static DeviceUnderTest Start(MosquittoBroker broker, string name, byte[] mac, string topic, string monitorTopic)
    {
        var device = new DeviceUnderTest(name, broker.DeviceSettings(s => s["MonitorTopic"] = monitorTopic), Live.FirmwareDefaults, mac,
            lesson: new PrintsTopic(topic));
        try
        {
            device.ExtraTranscript = broker.LogText;
            device.Start();
            device.WaitForLine("MQTT: subscribed to " + topic, timeoutSeconds: 30);
            string clientId = ChipId.FromMac(mac);
            Wait.Until(broker.Changed, () => broker.CountLog(clientId + " 1 " + topic) >= 1, TimeSpan.FromSeconds(30),
                "the SUBSCRIBE to " + topic + " from " + clientId, broker.LogText);
            return device;
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    private static void MessageToHandled(BenchReport report, DeviceUnderTest on, DeviceUnderTest off, AppPeer app, int samples)
    {
        const int warmup = 30;
        int total = warmup + samples;
        long[] onAt = new long[total], offAt = new long[total];
        var arrived = new ManualResetEventSlim(false, 0); // not disposed: a late hook may still Set it
        // Stamped first thing in each core's char[] WriteLine, on its loop thread (the mirror hands the line to the
        // monitor before it keeps or sends it, so a mirror line never delays the printing of its own message).
        Hook(on, onAt, total, arrived);
        Hook(off, offAt, total, arrived);

        var onUs = new List<double>();
        var offUs = new List<double>();
        int lost = 0;
        var random = new Random(8);
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < total; round++)
        {
            byte[] payload = Encoding.ASCII.GetBytes("r" + round);
            bool onFirst = random.Next(2) == 0;
            for (int half = 0; half < 2; half++)
            {
                bool toOn = (half == 0) == onFirst;
                arrived.Reset();
                long sent = Stopwatch.GetTimestamp();
                app.Publish(toOn ? TopicOn : TopicOff, payload, qos: 1);
                bool ok = arrived.Wait(2000);
                long at = toOn ? onAt[round] : offAt[round];
                if (!ok || at == 0) lost++;
                else if (round >= warmup) (toOn ? onUs : offUs).Add(Stats.TicksToMicroseconds(at - sent));
                Thread.Sleep(2 + random.Next(4));
            }
        }
        foreach (DeviceUnderTest d in new[] { on, off })
        {
            d.Monitor.OnMessageLine = null;
            d.Monitor.KeepMessageLines = true;
        }

        double onMed = Stats.Median(onUs), offMed = Stats.Median(offUs);
        double ratio = onMed / offMed;
        bool met = ratio <= 1.2;
        report.Add(new Row("8a", "message → handled, median, mirror on vs off", Stats.Us(onMed), Stats.Us(offMed) + " (mirror off)", Stats.Ratio(ratio),
            "median ratio ≤ ×1.20", met ? Verdict.Met : Verdict.Missed));
        report.Add(new Row("8b", "message → handled, p99, mirror on vs off", Stats.Us(Stats.P99(onUs)), Stats.Us(Stats.P99(offUs)) + " (mirror off)",
            Stats.Ratio(Stats.P99(onUs) / Stats.P99(offUs)), "", Verdict.Info));
        report.Note(Section, $"{onUs.Count} + {offUs.Count} samples after {warmup} warm-up rounds, {lost} lost, {clock.Elapsed.TotalSeconds:0.0} s. "
            + "Two cores on one Mosquitto, alike but for MonitorTopic: \"on\" publishes every monitor line to <clientId>/monitor (QoS 0) "
            + "with an App Builder-like subscriber on +/monitor, \"off\" has MonitorTopic \"\". Each round publishes one QoS 1 \"r<n>\" to "
            + "on/topic1 and to off/topic1 in a shuffled order, waiting for each and pausing 2–5 ms, as in section 1; time = the publish call → the first "
            + "instruction of the core's IMonitor.WriteLine(char[], int). The mirror copies the line into its ring after the monitor has "
            + "it and publishes it in the same Step, so what it can add to the next message is that publish (MqttNetTransport.Publish). "
            + "At this pace (a message every few ms) the mirror publishes about 10 lines a second and counts the rest, as designed.");
        if (!met)
            report.Missed($"8a message → handled with the mirror on: median {Stats.Us(onMed)} vs {Stats.Us(offMed)} off, {Stats.Ratio(ratio)} > ×1.20.");
    }

    private static void Hook(DeviceUnderTest device, long[] at, int total, ManualResetEventSlim arrived)
    {
        device.Monitor.KeepMessageLines = false;
        device.Monitor.OnMessageLine = (chars, count) =>
        {
            long now = Stopwatch.GetTimestamp();
            int round = Live.TrailingNumber(chars, count);
            if ((uint)round < (uint)total)
            {
                at[round] = now;
                arrived.Set();
            }
        };
    }

    private static (string Label, double Seconds, long Handled, int Dropped, int MirrorLines) Sum(
        IEnumerable<(string Label, double Seconds, long Handled, int Dropped, int MirrorLines)> runs) =>
        runs.Aggregate((a, b) => (a.Label, a.Seconds + b.Seconds, a.Handled + b.Handled, a.Dropped + b.Dropped, a.MirrorLines + b.MirrorLines));

    private static void Flood(BenchReport report, DeviceUnderTest on, DeviceUnderTest off, AppPeer app, AppPeer display, int messages)
    {
        string onMonitor = ChipId.FromMac(MacOn) + "/monitor";
        var results = new List<(string Label, double Seconds, long Handled, int Dropped, int MirrorLines)>();
        // ABBA: whichever flood runs second on a warm broker runs differently, so each side runs once first and once second.
        foreach ((DeviceUnderTest device, string topic, string label) in new[] { (on, TopicOn, "on"), (off, TopicOff, "off"), (off, TopicOff, "off"), (on, TopicOn, "on") })
        {
            long handledBefore = device.Monitor.MessageLineCount;
            int droppedBefore = device.Device.DroppedMessages;
            int mirrorBefore = display.TextsOn(onMonitor).Length;
            string marker = "end of flood " + label + " " + results.Count;
            var done = new ManualResetEventSlim(false, 0);
            char[] markerChars = marker.ToCharArray();
            device.Monitor.KeepMessageLines = false;
            device.Monitor.OnMessageLine = (chars, count) =>
            {
                if (count >= markerChars.Length && chars.AsSpan(count - markerChars.Length, markerChars.Length).SequenceEqual(markerChars)) done.Set();
            };
            byte[] payload = new byte[100];
            Array.Fill(payload, (byte)'x');
            var clock = Stopwatch.StartNew();
            var sends = new List<Task>(messages);
            for (int i = 0; i < messages; i++) sends.Add(app.PublishFast(topic, payload));
            Task.WaitAll(sends.ToArray(), TimeSpan.FromSeconds(60));
            app.Publish(topic, marker, qos: 1);
            if (!done.Wait(TimeSpan.FromSeconds(60))) throw new TimeoutException("the flood marker was not printed by the mirror-" + label + " core");
            double seconds = clock.Elapsed.TotalSeconds;
            device.Monitor.OnMessageLine = null;
            device.Monitor.KeepMessageLines = true;
            Thread.Sleep(300); // the last mirrored lines reach the display
            results.Add((label, seconds, device.Monitor.MessageLineCount - handledBefore - 1, device.Device.DroppedMessages - droppedBefore,
                display.TextsOn(onMonitor).Length - mirrorBefore));
        }
        var onR = Sum(results.Where(r => r.Label == "on"));
        var offR = Sum(results.Where(r => r.Label == "off"));
        // A burst of the ring, then one line per interval, each line after a gap preceded by the count of what it skipped.
        var options = new DeviceOptions();
        int allowed = 2 * (2 * options.MonitorMirrorLines + (int)Math.Ceiling(onR.Seconds * 1000 / options.MonitorMirrorIntervalMs) + 2);
        report.Add(new Row("8c", $"flood {messages:N0} × QoS 0 ({100} B), mirror on vs off",
            $"{Stats.N(onR.Handled / onR.Seconds)} msg/s handled (two floods), {onR.Dropped:N0} dropped", $"{Stats.N(offR.Handled / offR.Seconds)} msg/s, {offR.Dropped:N0} dropped (mirror off)",
            Stats.Ratio((onR.Handled / onR.Seconds) / (offR.Handled / offR.Seconds)), "", Verdict.Info));
        report.Add(new Row("8d", "monitor lines published during those floods (mirror on)", $"{onR.MirrorLines:N0} in {onR.Seconds:0.00} s", "", "",
            $"≤ {allowed} (ring burst + 10 lines/s, each with its skip count)", onR.MirrorLines <= allowed ? Verdict.Met : Verdict.Missed));
        report.Note(Section, $"Flood: twice per side, in the order on, off, off, on, {messages:N0} QoS 0 messages of 100 bytes published as fast as the App Builder peer can (MQTTnet, not awaited one by one), "
            + "then one QoS 1 marker; the time is from the first publish to the marker printed. Each publish the mirror makes costs a TLS record on "
            + "the board, so the row that matters is how many it made: a flood on topic1 never becomes a flood on the monitor topic.");
        if (onR.MirrorLines > allowed)
            report.Missed($"8d the mirror published {onR.MirrorLines} lines during a {onR.Seconds:0.00} s flood, more than the {allowed} its rate allows.");
    }

    /// <summary>The shipped lesson on another topic: each device of this bench listens on its own.</summary>
    private sealed class PrintsTopic(string topic) : ILesson
    {
        public string[] Topics() => new[] { topic };
        public void OnMessage(MqttMessage message, Board board) => board.Print(message);
        public void OnBootPress(Board board) { }
    }
}
