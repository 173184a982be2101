using System.Diagnostics;
using System.Globalization;
using System.Text;
using IotyDevice.Benchmarks;
using IotyDevice.Core;

// The benchmark command (scripts/bench.sh runs it in Release): every section in one process, one table, and with
// --out FILE the markdown report. Timings are compared side by side within this run, never against fixed numbers.
CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
if (AllocationBench.IsChild(args)) return AllocationBench.RunChild();

string outPath = null;
bool quick = false;
string only = null; // a section number, for working on one section (never for BENCHMARKS.md)
for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--out" && i + 1 < args.Length) outPath = args[++i];
    else if (args[i] == "--quick") quick = true;
    else if (args[i] == "--only" && i + 1 < args.Length) only = args[++i];
    else
    {
        Console.Error.WriteLine("usage: IotyDevice.Benchmarks [--out BENCHMARKS.md] [--quick] [--only 1|3|4|5|6|7|8|9]");
        return 1;
    }
}

// Bounded whatever happens: scripts/bench.sh, build included, must stay under 5 minutes.
TimeSpan limit = TimeSpan.FromMinutes(4);
using var watchdog = new Timer(_ =>
{
    Console.Error.WriteLine("bench: still running after " + limit.TotalMinutes + " min; killing the brokers and stopping");
    Live.KillAll();
    Environment.Exit(3);
}, null, limit, Timeout.InfiniteTimeSpan);

var total = Stopwatch.StartNew();
var report = new BenchReport();
DateTime startedUtc = DateTime.UtcNow;
string loadAtStart = Machine.LoadAverage();
Console.WriteLine("IotyDevice benchmarks" + (quick ? " (quick: fewer samples, not for BENCHMARKS.md)" : "") + ", " + startedUtc.ToString("yyyy-MM-dd HH:mm") + " UTC");
foreach (var (what, value) in Machine.Describe()) Console.WriteLine("  " + what + ": " + value);
Console.WriteLine("  load average (1, 5, 15 min): " + loadAtStart);

var timings = new List<(string Section, double Seconds)>();
void Section(string name, Action body)
{
    if (only != null && !name.Split(' ', '/').Contains(only + ".")) return;
    Console.WriteLine();
    Console.WriteLine("== " + name);
    var clock = Stopwatch.StartNew();
    body();
    timings.Add((name, clock.Elapsed.TotalSeconds));
    Console.WriteLine("   (" + clock.Elapsed.TotalSeconds.ToString("0.0") + " s)");
}

try
{
    Section(SettingsBench.Section, () => SettingsBench.Run(report, quick ? 300 : 3000));
    Section(AllocationBench.Section, () => AllocationBench.Run(report));
    Section(LatencyBench.Section1 + " / " + LatencyBench.Section2, () => LatencyBench.Run(report, quick ? 60 : 600, quick ? 20 : 300));
    Section(FloodBench.Section, () => FloodBench.Run(report, quick ? new[] { 2_000, 20_000 } : new[] { 10_000, 100_000 }));
    Section(ReconnectBench.Section, () => ReconnectBench.Run(report, quick ? 2 : 5));
    Section(ClassroomBench.Section, () => ClassroomBench.Run(report, quick));
    Section(MonitorMirrorBench.Section, () => MonitorMirrorBench.Run(report, quick ? 60 : 400, quick ? 2_000 : 10_000));
    Section(MemoryBench.Section, () => MemoryBench.Run(report));
}
catch (Exception e)
{
    Console.Error.WriteLine("bench: a section failed: " + e);
    Live.KillAll();
    return 2;
}

Console.WriteLine();
Console.WriteLine(report.ConsoleTable());
foreach (string missed in report.MissedTargets) Console.WriteLine("MISSED: " + missed);
int met = report.Rows.Count(r => r.Verdict == Verdict.Met), missedCount = report.Rows.Count(r => r.Verdict == Verdict.Missed);
Console.WriteLine($"targets: {met} met, {missedCount} missed; {total.Elapsed.TotalSeconds:0} s in all");

if (outPath != null && only != null)
{
    Console.Error.WriteLine("bench: --only runs part of the bench; not writing " + outPath);
}
else if (outPath != null)
{
    File.WriteAllText(outPath, Markdown.Write(report, startedUtc, total.Elapsed, timings, new DeviceOptions(), loadAtStart, Machine.LoadAverage()));
    Console.WriteLine("wrote " + Path.GetFullPath(outPath));
}
return 0;
