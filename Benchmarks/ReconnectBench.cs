using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using IotyDevice.TestKit;

namespace IotyDevice.Benchmarks;

/// <summary>Section 5: broker crash (kill -9) and restart on the same port → the core resubscribed.</summary>
public static class ReconnectBench
{
    public const string Section = "5. Reconnect after a broker crash";

    public static void Run(BenchReport report, int restarts)
    {
        // Firmware defaults, except StableConnectionMs: 60 s by default, so crashes a few seconds apart would double the
        // backoff each time (1, 2, 4, 8, 16 s ceilings). At 2 s, each crash here meets the core as the first loss of a
        // healthy connection, which is the case worth a median.
        const int stableMs = 2000;
        using MosquittoBroker broker = Live.Broker("reconnect");
        using DeviceUnderTest device = Live.StartDevice(broker, "reconnect", o => o.StableConnectionMs = stableMs);
        int backoffBase = device.Options.BackoffBaseMs, backoffCap = device.Options.BackoffCapMs;

        var subscribedAt = new List<long>();
        device.Monitor.OnLine = line =>
        {
            if (line.StartsWith("MQTT: subscribed to topic1", StringComparison.Ordinal))
                lock (subscribedAt) subscribedAt.Add(Stopwatch.GetTimestamp());
        };

        var fromStart = new List<double>();
        var fromKill = new List<double>();
        var delays = new List<double>();
        for (int i = 1; i <= restarts; i++)
        {
            Thread.Sleep(stableMs + 500); // the connection has been up longer than StableConnectionMs
            int seen;
            lock (subscribedAt) seen = subscribedAt.Count;
            int linesBefore = device.Monitor.LineCount;
            long killed = Stopwatch.GetTimestamp();
            broker.Kill();
            broker.Start(); // returns once the listener accepts connections
            long started = Stopwatch.GetTimestamp();
            Wait.Until(device.Monitor.Changed, () => { lock (subscribedAt) return subscribedAt.Count > seen; }, TimeSpan.FromSeconds(60),
                "the core resubscribed after broker restart " + i, device.Transcript);
            long at;
            lock (subscribedAt) at = subscribedAt[seen];
            fromStart.Add(Stats.TicksToMilliseconds(at - started));
            fromKill.Add(Stats.TicksToMilliseconds(at - killed));
            foreach (string line in device.Monitor.Lines.Skip(linesBefore))
            {
                Match m = Regex.Match(line, @"^MQTT: next try in (\d+\.\d) s");
                if (m.Success) delays.Add(double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) * 1000);
            }
        }
        device.Monitor.OnLine = null;

        double med = Stats.Median(fromStart);
        report.Add(new Row("5", $"broker restart → resubscribed, median of {restarts}", Stats.Ms(med), "", $"from kill -9: {Stats.Ms(Stats.Median(fromKill))}",
            $"backoff base {backoffBase} ms (first retry after {backoffBase / 10}–{backoffBase} ms)", Verdict.Info));
        report.Note(Section, $"{restarts} crashes, each after the connection had been up {stableMs + 500} ms: mosquitto killed with SIGKILL and started "
            + "again on the same port (no persistence, so only a new SUBSCRIBE brings topic1 back). Time from the restarted broker accepting "
            + "connections to the core printing \"MQTT: subscribed to topic1\": "
            + string.Join(", ", fromStart.Select(Stats.Ms)) + $" (median {Stats.Ms(med)}); from the kill: "
            + string.Join(", ", fromKill.Select(Stats.Ms)) + ". Retry delays the core chose (\"MQTT: next try in\"): "
            + string.Join(", ", delays.Select(d => Stats.Ms(d))) + $". Firmware defaults (BackoffBaseMs {backoffBase}, BackoffCapMs {backoffCap}, "
            + $"the first retry waits {backoffBase / 10}–{backoffBase} ms) except StableConnectionMs = {stableMs} (default 60,000): with "
            + "the default, crashes less than a minute apart keep doubling the ceiling (1, 2, 4, 8, 16 s … 60 s), which is the intended "
            + "protection of a flapping broker, so a crash loop reconnects more slowly than the median here. The time is the backoff "
            + "wait plus a TLS connect; the restart itself (mosquitto up and listening) happens inside the first wait.");
    }
}
