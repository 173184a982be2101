using System.Buffers;
using System.Diagnostics;
using System.Text;
using IotyDevice.TestKit;

namespace IotyDevice.Benchmarks;

/// <summary>Sections 1 and 2: the real core (Device.Run() on its own thread, MqttNetTransport) against a raw MQTTnet
/// client, on the same Mosquitto over TLS in the same run, rounds interleaved in a shuffled order and paced.</summary>
public static class LatencyBench
{
    public const string Section1 = "1. Message → handled";
    public const string Section2 = "2. BOOT press → hello received";
    private const string RawTopic = "raw/topic1";
    private const string RawHelloTopic = "raw/topic2";

    public static void Run(BenchReport report, int messageSamples, int bootSamples)
    {
        using MosquittoBroker broker = Live.Broker("latency");
        using DeviceUnderTest device = Live.StartDevice(broker, "latency");
        using AppPeer app = AppPeer.Connect(broker, "bench-app"); // the App Builder: publishes, receives the hellos
        using AppPeer raw = AppPeer.Connect(broker, "bench-raw"); // the baseline: a bare MQTTnet client
        raw.Subscribe(RawTopic, qos: 1);                          // the same QoS the core subscribes with
        app.Subscribe("topic2", qos: 1);
        app.Subscribe(RawHelloTopic, qos: 1);
        MessageToHandled(report, device, app, raw, messageSamples);
        BootToHello(report, device, app, raw, bootSamples);
    }

    private static void MessageToHandled(BenchReport report, DeviceUnderTest device, AppPeer app, AppPeer raw, int samples)
    {
        const int warmup = 30;
        int total = warmup + samples;
        long[] deviceAt = new long[total];
        long[] rawAt = new long[total];
        var arrived = new ManualResetEventSlim(false, 0); // no spinning: 2 cores are shared; not disposed: a late hook may still Set it

        // Stamped first thing in the core's char[] WriteLine, on the device thread that runs Device.Run().
        device.Monitor.KeepMessageLines = false;
        device.Monitor.OnMessageLine = (chars, count) =>
        {
            long now = Stopwatch.GetTimestamp();
            int round = Live.TrailingNumber(chars, count);
            if ((uint)round < (uint)total)
            {
                deviceAt[round] = now;
                arrived.Set();
            }
        };
        // Stamped first thing in the raw client's message handler, on MQTTnet's thread.
        raw.OnMessage = e =>
        {
            long now = Stopwatch.GetTimestamp();
            ReadOnlySequence<byte> payload = e.ApplicationMessage.Payload;
            int round = Live.TrailingNumber(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray());
            if (e.ApplicationMessage.Topic == RawTopic && (uint)round < (uint)total)
            {
                rawAt[round] = now;
                arrived.Set();
            }
        };

        var deviceUs = new List<double>();
        var rawUs = new List<double>();
        int deviceLost = 0, rawLost = 0;
        var random = new Random(1);
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < total; round++)
        {
            byte[] payload = Encoding.ASCII.GetBytes("r" + round);
            bool deviceFirst = random.Next(2) == 0;
            for (int half = 0; half < 2; half++)
            {
                bool toDevice = (half == 0) == deviceFirst;
                arrived.Reset();
                long sent = Stopwatch.GetTimestamp();
                app.Publish(toDevice ? "topic1" : RawTopic, payload, qos: 1);
                bool ok = arrived.Wait(2000);
                long at = toDevice ? deviceAt[round] : rawAt[round];
                if (!ok || at == 0)
                {
                    if (toDevice) deviceLost++; else rawLost++;
                }
                else if (round >= warmup)
                {
                    (toDevice ? deviceUs : rawUs).Add(Stats.TicksToMicroseconds(at - sent));
                }
                Thread.Sleep(2 + random.Next(4)); // paced: the loop is asleep in Wakeup.Wait when the next one comes
            }
        }
        device.Monitor.OnMessageLine = null;
        device.Monitor.KeepMessageLines = true;
        raw.OnMessage = null;

        double dMed = Stats.Median(deviceUs), rMed = Stats.Median(rawUs);
        double dP99 = Stats.P99(deviceUs), rP99 = Stats.P99(rawUs);
        double ratio = dMed / rMed;
        bool met = ratio <= 1.2;
        report.Add(new Row("1a", "message → handled, median", Stats.Us(dMed), Stats.Us(rMed), Stats.Ratio(ratio), "median ratio ≤ ×1.20", met ? Verdict.Met : Verdict.Missed));
        report.Add(new Row("1b", "message → handled, p99", Stats.Us(dP99), Stats.Us(rP99), Stats.Ratio(dP99 / rP99) + " (" + Stats.SignedUs(dP99 - rP99) + ")", "", Verdict.Info));
        report.Note(Section1, $"{deviceUs.Count} device and {rawUs.Count} baseline samples (after {warmup} warm-up rounds each), "
            + $"{deviceLost + rawLost} lost ({deviceLost} device, {rawLost} baseline), {clock.Elapsed.TotalSeconds:0.0} s. "
            + "Each round publishes one QoS 1 message (\"r<n>\") from an App Builder peer, to topic1 (the core) or to raw/topic1 "
            + "(a bare MQTTnet 5 client subscribed with QoS 1, like the core), the two in a shuffled order per round, then "
            + "waits for it and sleeps 2–5 ms, so the core's loop is asleep in Wakeup.Wait when a message comes. "
            + "Device time: the App Builder's publish call → the first instruction of the core's IMonitor.WriteLine(char[], int) "
            + "on the thread running Device.Run(). Baseline time: the same publish call → the first instruction of the raw "
            + "client's ApplicationMessageReceivedAsync handler. The difference is the core's whole path: MqttNetTransport's "
            + "payload copy, Inbox.Put, the Wakeup, the loop thread waking, Inbox.TryTake and MessageLine.Format. "
            + $"Median difference {Stats.SignedUs(dMed - rMed)}.");
        if (!met)
            report.Missed($"1a message → handled: median ratio {Stats.Ratio(ratio)} > ×1.20 (device {Stats.Us(dMed)}, raw {Stats.Us(rMed)}). "
                + "The loop does wake on arrival (Wakeup.Set from the listener, no poll tick); what is left is the second thread's wake-up "
                + "and the hand-over on a 2-core machine shared with the broker, the publisher and two MQTTnet clients.");
    }

    private static void BootToHello(BenchReport report, DeviceUnderTest device, AppPeer app, AppPeer raw, int samples)
    {
        const int warmup = 10;
        int total = warmup + samples;
        int debounceMs = device.Options.DebounceMs;
        long helloAt = 0, rawHelloAt = 0;
        var arrived = new ManualResetEventSlim(false, 0); // not disposed: a late hook may still Set it
        app.OnMessage = e =>
        {
            long now = Stopwatch.GetTimestamp();
            if (e.ApplicationMessage.Topic == "topic2") Volatile.Write(ref helloAt, now);
            else if (e.ApplicationMessage.Topic == RawHelloTopic) Volatile.Write(ref rawHelloAt, now);
            else return;
            arrived.Set();
        };
        byte[] hello = Encoding.UTF8.GetBytes("hello");
        int sentBefore = device.Monitor.Count("BOOT: sent hello to topic2");

        var deviceMs = new List<double>();
        var rawMs = new List<double>();
        int deviceLost = 0, rawLost = 0;
        var random = new Random(2);
        var clock = Stopwatch.StartNew();
        for (int round = 0; round < total; round++)
        {
            bool deviceFirst = random.Next(2) == 0;
            for (int half = 0; half < 2; half++)
            {
                bool onDevice = (half == 0) == deviceFirst;
                arrived.Reset();
                Volatile.Write(ref helloAt, 0);
                Volatile.Write(ref rawHelloAt, 0);
                long pressed = Stopwatch.GetTimestamp();
                if (onDevice) device.Button.Press(); // a clean press held past the debounce time
                else raw.Publish(RawHelloTopic, hello, qos: 1);
                bool ok = arrived.Wait(3000);
                long at = onDevice ? Volatile.Read(ref helloAt) : Volatile.Read(ref rawHelloAt);
                if (!ok || at == 0)
                {
                    if (onDevice) deviceLost++; else rawLost++;
                }
                else if (round >= warmup)
                {
                    double ms = Stats.TicksToMilliseconds(at - pressed);
                    if (onDevice) deviceMs.Add(ms - debounceMs); else rawMs.Add(ms);
                }
                if (onDevice)
                {
                    device.Button.Release();
                    Thread.Sleep(debounceMs * 2 + 20); // the release settles before the next press
                }
                else
                {
                    Thread.Sleep(2 + random.Next(4));
                }
            }
        }
        app.OnMessage = null;
        int sent = device.Monitor.Count("BOOT: sent hello to topic2") - sentBefore;

        double dMed = Stats.Median(deviceMs), rMed = Stats.Median(rawMs);
        double dP99 = Stats.P99(deviceMs), rP99 = Stats.P99(rawMs);
        bool met = dMed - rMed <= 1.0;
        report.Add(new Row("2a", $"BOOT → hello, median − {debounceMs} ms debounce", Stats.Ms(dMed), Stats.Ms(rMed), Stats.SignedMs(dMed - rMed), "≤ +1 ms over raw", met ? Verdict.Met : Verdict.Missed));
        report.Add(new Row("2b", $"BOOT → hello, p99 − {debounceMs} ms debounce", Stats.Ms(dP99), Stats.Ms(rP99), Stats.SignedMs(dP99 - rP99), "", Verdict.Info));
        report.Note(Section2, $"{deviceMs.Count} presses and {rawMs.Count} baseline publishes (after {warmup} warm-up rounds each), "
            + $"{deviceLost + rawLost} lost ({deviceLost} device, {rawLost} baseline); the core printed \"BOOT: sent hello\" {sent} times for {total} presses; "
            + $"{clock.Elapsed.TotalSeconds:0.0} s. Device time: SimulatedButton.Press() (which also sets the core's Wakeup, as the GPIO "
            + $"interrupt does) → the App Builder peer's handler receiving \"hello\" on topic2, minus DebounceMs = {debounceMs} (the level "
            + "must hold that long before it counts, by design). Baseline: a bare MQTTnet client's QoS 1 publish call → the same peer's "
            + "handler receiving it on raw/topic2. Rounds interleaved in a shuffled order; after each press the button is released and "
            + $"left {debounceMs * 2 + 20} ms to settle. What the core adds beyond the debounce: the wake-up on the press, the timed "
            + "wait for the level to settle (SystemClock counts whole milliseconds) and the hand-over to MqttNetTransport.Publish.");
        if (!met)
            report.Missed($"2a BOOT → hello: median {Stats.Ms(dMed)} after the debounce vs raw {Stats.Ms(rMed)}, {Stats.SignedMs(dMed - rMed)} > +1 ms. "
                + "The debounce settles on a timed wait whose length is computed in whole milliseconds of SystemClock (NowMs truncates), "
                + "so the wait can end up to ~1 ms past the exact debounce time, and the wake-up from a timed wait adds scheduler latency.");
    }
}
