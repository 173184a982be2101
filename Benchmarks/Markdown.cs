using System.Text;
using IotyDevice.Core;

namespace IotyDevice.Benchmarks;

/// <summary>BENCHMARKS.md: machine, date, the table, missed targets with reasons and how each figure was taken (the
/// board's memory budget is measured in section 9).</summary>
public static class Markdown
{
    public static string Write(BenchReport report, DateTime startedUtc, TimeSpan elapsed, List<(string Section, double Seconds)> timings, DeviceOptions defaults,
        string loadAtStart, string loadAtEnd)
    {
        var md = new StringBuilder();
        md.AppendLine("# Benchmarks");
        md.AppendLine();
        md.AppendLine("The firmware's portable core (`Firmware/Core`, the real `Device`) on the host adapters, measured through a real Mosquitto over");
        md.AppendLine("TLS on 127.0.0.1 and compared, in the same run, with a bare MQTTnet client doing the same thing. Written by");
        md.AppendLine("`bash scripts/bench.sh` (this file is its output; run it again to refresh it). The tests never assert timings; this does not");
        md.AppendLine("either — it reports, and names every target it misses. Section 7 puts a classroom (up to 100 boards, each the real core, beside as many");
        md.AppendLine("bare clients) on one broker.");
        md.AppendLine();
        md.AppendLine($"Run on {startedUtc:yyyy-MM-dd HH:mm} UTC, {elapsed.TotalSeconds:0} s in all ("
            + string.Join(", ", timings.Select(t => "section " + t.Section.Split(' ')[0].TrimEnd('.') + (t.Section.Contains(" / ") ? " and 2" : "") + " " + t.Seconds.ToString("0.0") + " s")) + ").");
        md.AppendLine();
        md.AppendLine("| machine | |");
        md.AppendLine("|---|---|");
        foreach (var (what, value) in Machine.Describe()) md.AppendLine($"| {what} | {value} |");
        md.AppendLine($"| load average (1, 5, 15 min; /proc/loadavg) | at start {loadAtStart}; at end {loadAtEnd} |");
        md.AppendLine();
        md.AppendLine("This machine is shared and noisy (2 cores for the broker, the publisher, the core's threads and the baseline client;");
        md.AppendLine("a load average above the core count means other processes were waiting for the same cores during the run):");
        md.AppendLine("read medians, p99s and the device/baseline ratios measured side by side, not single absolute times.");
        md.AppendLine();
        md.AppendLine("## Results");
        md.AppendLine();
        md.Append(report.Table());
        md.AppendLine();
        int met = report.Rows.Count(r => r.Verdict == Verdict.Met), missed = report.Rows.Count(r => r.Verdict == Verdict.Missed);
        md.AppendLine($"Targets: {met} met, {missed} missed.");
        md.AppendLine();
        md.AppendLine("## Targets missed");
        md.AppendLine();
        if (report.MissedTargets.Count == 0) md.AppendLine("None in this run.");
        foreach (string m in report.MissedTargets) md.AppendLine("- " + m);
        md.AppendLine();
        Tail(md, report);
        md.AppendLine("## How each figure was taken");
        foreach (string section in timings.SelectMany(t => t.Section.Split(" / "))) // every section run, in number order
        {
            md.AppendLine();
            md.AppendLine("### " + section);
            md.AppendLine();
            foreach (string note in report.NotesFor(section))
            {
                md.AppendLine(note);
                md.AppendLine();
            }
        }
        return md.ToString().TrimEnd() + "\n";
    }

    /// <summary>Where the single board's p99 comes from, from rows 1b–1e and 2b–2d of this run.</summary>
    private static void Tail(StringBuilder md, BenchReport report)
    {
        Row Get(string id) => report.Rows.FirstOrDefault(r => r.Id == id);
        Row p99 = Get("1b"), shape = Get("1c"), split = Get("1d"), causes = Get("1e"), boot = Get("2b"), timed = Get("2c"), bootCauses = Get("2d");
        if (p99 == null || shape == null || split == null || boot == null || timed == null) return;
        md.AppendLine("## A tail as tight as the median");
        md.AppendLine();
        md.AppendLine("Where the single board's p99 comes from, read from this run's rows (all side by side, shuffled, in one process):");
        md.AppendLine();
        md.AppendLine($"- **GC and JIT**: {causes?.Device} for the core, {causes?.Baseline} for the raw client (row 1e); presses: {bootCauses?.Device} (row 2d).");
        md.AppendLine(report.Figure("1.device.gc") == 0
            ? "  No gen-0 collection fell inside a message sample: per message the path allocates only the payload copy and the transport's queued"
              + "\n  call (the core itself 0 B, section 3), far from a gen-0 budget in a few hundred rounds."
            : "  Some samples overlapped a gen-0 collection (the payload copy and the transport's queued call allocate a little per message; the core"
              + "\n  itself 0 B, section 3).");
        md.AppendLine("  JIT compilations run on a background thread that competes for the same 2 cores, so the warm-up now runs until nothing has been");
        md.AppendLine("  compiled for 20 rounds (it was a fixed 30 rounds) so that tiering of the loop's methods is over before samples count; later");
        md.AppendLine("  compilations (MQTTnet, the bench itself) are counted above. nanoFramework interprets IL, so JIT is not a board property.");
        md.AppendLine($"- **The core's own work**: {split.Device} (row 1d). From the core's OnMessage to the printed line (Inbox.Put, Wakeup.Set, the");
        md.AppendLine($"  loop thread's wake-up, TryTake, Format) the p99 is {Stats.Us(report.Figure("1.core.p99"))}; \"Put + Set\" is stamped on the dispatch thread and");
        md.AppendLine("  includes being preempted by the loop thread it has just woken. The rest comes before the core is called: broker, MQTTnet,");
        md.AppendLine("  MqttNetTransport's copy, its PUBACK sent before dispatch and its dispatch thread (the M2Mqtt shape, branch `host`).");
        md.AppendLine($"- **The thread hand-offs on 2 shared cores**: a bare MQTTnet client given the same shape and none of the firmware's code (copy,");
        md.AppendLine($"  PUBACK, queue → dispatch thread → queue → a thread asleep in AutoResetEvent.WaitOne(500)) has median / p99 {shape.Baseline} against");
        md.AppendLine($"  the core's {shape.Device} (row 1c, {shape.Comparison}). The raw client stamps on MQTTnet's own thread with no hand-off at all, so");
        md.AppendLine("  the ratio to it (row 1b) measures two thread wake-ups on a machine whose 2 cores also run the broker, the publisher, the raw");
        md.AppendLine("  client and whatever else is loaded; when either core is busy a woken thread waits for a time slice. Row 1g has that price");
        md.AppendLine($"  alone, two threads and nothing else: {Get("1g")?.Device} (median / p99 / max) with AutoResetEvent; the other primitives");
        md.AppendLine("  a host could use (ManualResetEventSlim, SemaphoreSlim, Monitor.Wait/Pulse, section 1's notes) are no better, so Wakeup.cs");
        md.AppendLine("  stays as it is (AutoResetEvent is also what the board's mscorlib has).");
        md.AppendLine($"- **Presses**: the core's p99 after the debounce is {boot.Device} against {boot.Baseline} for a bare publish (row 2b, {boot.Comparison});");
        md.AppendLine($"  a bare publish after the same kind of timed wait without the core has {timed.Baseline} (median / p99, row 2c, core {timed.Device}).");
        md.AppendLine("  A debounce on a timed wait (rather than a busy loop) needs a timer wake-up of a sleeping thread, and that wake-up's tail is the");
        md.AppendLine("  scheduler's.");
        md.AppendLine();
        double d1 = report.Figure("1.device.p99"), h1 = report.Figure("1.handoff.p99"), d2 = report.Figure("2.device.p99"), t2 = report.Figure("2.timed.p99");
        bool sameShape1 = d1 <= 1.5 * h1, sameShape2 = d2 <= t2 + 1.0;
        bool bothMet = p99.Verdict == Verdict.Met && boot.Verdict == Verdict.Met;
        string verdicts = bothMet ? "Both single-board p99 targets (rows 1b and 2b) are met in this run"
            : "Row 1b is " + (p99.Verdict == Verdict.Met ? "met" : "missed") + " and row 2b " + (boot.Verdict == Verdict.Met ? "met" : "missed") + " in this run";
        md.AppendLine(sameShape1 && sameShape2
            ? verdicts + ", and the same shape without the core has the same tail (within ×1.5 for messages, +1 ms for presses): what"
              + "\nseparates the core from the raw client is the machine and the design, not the core's code. Cutting that further would take a design"
              + "\nchange (e.g. MqttNetTransport raising OnMessage on MQTTnet's thread before the PUBACK, as before branch `host`: one hand-off less,"
              + "\nbut no longer M2Mqtt's order)."
            : verdicts + "; the core's tail is above that of the same shape without it ("
              + (sameShape1 ? "" : $"messages: p99 {Stats.Us(d1)} vs {Stats.Us(h1)}; ") + (sameShape2 ? "" : $"presses: p99 {Stats.Ms(d2)} vs {Stats.Ms(t2)}; ")
              + "\nrows 1d and 2c show which part); on a loaded machine single p99s move a lot from run to run, so compare with a rerun on a quiet machine.");
        md.AppendLine();
    }
}
