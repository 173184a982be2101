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
int only = 0; // a section number, for working on one section (never for BENCHMARKS.md)
var report = new BenchReport();

// Every section, run in the order of its number (each title starts with it; one section has two): adding one is a
// line here, and the usage line below lists it by itself.
var sections = new (string Name, Action Run)[]
{
    (LatencyBench.Section1 + " / " + LatencyBench.Section2, () => LatencyBench.Run(report, quick ? 60 : 600, quick ? 20 : 300)),
    (AllocationBench.Section, () => AllocationBench.Run(report)),
    (FloodBench.Section, () => FloodBench.Run(report, quick ? new[] { 2_000, 20_000 } : new[] { 10_000, 100_000 })),
    (ReconnectBench.Section, () => ReconnectBench.Run(report, quick ? 2 : 5)),
    (SettingsBench.Section, () => SettingsBench.Run(report, quick ? 300 : 3000)),
    (ClassroomBench.Section, () => ClassroomBench.Run(report, quick)),
    (MonitorMirrorBench.Section, () => MonitorMirrorBench.Run(report, quick ? 60 : 400, quick ? 2_000 : 10_000)),
    (MemoryBench.Section, () => MemoryBench.Run(report)),
    (StopBench.Section, () => StopBench.Run(report, quick ? 2 : 5)),
}.OrderBy(s => Numbers(s.Name).Min()).ToArray();

for (int i = 0; i < args.Length; i++)
{
    if (args[i] == "--out" && i + 1 < args.Length) outPath = args[++i];
    else if (args[i] == "--quick") quick = true;
    else if (args[i] == "--only" && i + 1 < args.Length && int.TryParse(args[i + 1], out only) && sections.Any(s => Numbers(s.Name).Contains(only))) i++;
    else
    {
        Console.Error.WriteLine("usage: IotyDevice.Benchmarks [--out BENCHMARKS.md] [--quick] [--only "
            + string.Join("|", sections.SelectMany(s => Numbers(s.Name)).Order()) + "]");
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
DateTime startedUtc = DateTime.UtcNow;
string loadAtStart = Machine.LoadAverage();
Console.WriteLine("IotyDevice benchmarks" + (quick ? " (quick: fewer samples, not for BENCHMARKS.md)" : "") + ", " + startedUtc.ToString("yyyy-MM-dd HH:mm") + " UTC");
foreach (var (what, value) in Machine.Describe()) Console.WriteLine("  " + what + ": " + value);
Console.WriteLine("  load average (1, 5, 15 min): " + loadAtStart);

var timings = new List<(string Section, double Seconds)>();
void Section(string name, Action body)
{
    if (only != 0 && !Numbers(name).Contains(only)) return;
    Console.WriteLine();
    Console.WriteLine("== " + name);
    var clock = Stopwatch.StartNew();
    body();
    timings.Add((name, clock.Elapsed.TotalSeconds));
    Console.WriteLine("   (" + clock.Elapsed.TotalSeconds.ToString("0.0") + " s)");
}

try
{
    foreach (var (name, run) in sections) Section(name, run);
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

if (outPath != null && only != 0)
{
    Console.Error.WriteLine("bench: --only runs part of the bench; not writing " + outPath);
}
else if (outPath != null)
{
    File.WriteAllText(outPath, Markdown.Write(report, startedUtc, total.Elapsed, timings, new DeviceOptions(), loadAtStart, Machine.LoadAverage()));
    Console.WriteLine("wrote " + Path.GetFullPath(outPath));
}
return 0;

// The section numbers a title starts with: "1. Message → handled / 2. BOOT press → hello received" has 1 and 2.
static int[] Numbers(string title) =>
    title.Split(" / ").Select(part => int.Parse(part[..part.IndexOf('.')], CultureInfo.InvariantCulture)).ToArray();
