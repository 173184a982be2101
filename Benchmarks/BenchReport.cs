using System.Text;

namespace IotyDevice.Benchmarks;

/// <summary>met / missed / for information (no target).</summary>
public enum Verdict
{
    Info,
    Met,
    Missed,
}

/// <summary>One line of the results table.</summary>
public sealed record Row(string Id, string Measure, string Device, string Baseline, string Comparison, string Target, Verdict Verdict)
{
    public string VerdictText => Verdict switch { Verdict.Met => "met", Verdict.Missed => "MISSED", _ => "—" };
}

/// <summary>What the run found: the table rows, notes per section (how it was measured), and for every missed target
/// the reason. Printed to the console and written as BENCHMARKS.md.</summary>
public sealed class BenchReport
{
    private readonly List<Row> _rows = new();
    private readonly List<(string Section, string Text)> _notes = new();
    private readonly List<string> _missed = new();

    /// <summary>In section order (the sections run in another order: the cheap, broker-less ones first).</summary>
    public IReadOnlyList<Row> Rows => _rows.OrderBy(r => SectionOf(r.Id)).ThenBy(r => r.Id, StringComparer.Ordinal).ToList();

    /// <summary>The number an id starts with ("10a" → 10), so section 10 follows section 9.</summary>
    private static int SectionOf(string id) => int.Parse(new string(id.TakeWhile(char.IsDigit).ToArray()), System.Globalization.CultureInfo.InvariantCulture);

    public void Add(Row row)
    {
        _rows.Add(row);
        Console.WriteLine("  " + row.Id + "  " + row.Measure + ": " + row.Device
            + (row.Baseline.Length > 0 ? " | baseline " + row.Baseline : "")
            + (row.Comparison.Length > 0 ? " | " + row.Comparison : "")
            + (row.Target.Length > 0 ? " | target " + row.Target + " " + row.VerdictText : ""));
    }

    public void Note(string section, string text) => _notes.Add((section, text));

    /// <summary>Raw figures one section leaves for the report's prose (e.g. "1.device.p99"), NaN when absent.</summary>
    public Dictionary<string, double> Figures { get; } = new();

    public double Figure(string name) => Figures.TryGetValue(name, out double v) ? v : double.NaN;

    /// <summary>A target that was not met, with the reason (shown in its own section of BENCHMARKS.md).</summary>
    public void Missed(string text) => _missed.Add(text);

    public string Table()
    {
        var headers = new[] { "#", "measure", "device (real core)", "raw MQTTnet baseline", "ratio / difference", "target", "verdict" };
        var lines = new List<string[]> { headers };
        lines.AddRange(Rows.Select(r => new[] { r.Id, r.Measure, r.Device, r.Baseline, r.Comparison, r.Target, r.VerdictText }));
        var sb = new StringBuilder();
        sb.AppendLine("| " + string.Join(" | ", headers) + " |");
        sb.AppendLine("|" + string.Join("|", headers.Select(_ => "---")) + "|");
        foreach (Row r in Rows)
            sb.AppendLine("| " + string.Join(" | ", new[] { r.Id, r.Measure, r.Device, r.Baseline, r.Comparison, r.Target, r.VerdictText }.Select(Cell)) + " |");
        return sb.ToString();
    }

    /// <summary>The same table with aligned columns, for a terminal.</summary>
    public string ConsoleTable()
    {
        var cells = new List<string[]> { new[] { "#", "measure", "device", "baseline", "ratio/diff", "target", "verdict" } };
        cells.AddRange(Rows.Select(r => new[] { r.Id, r.Measure, r.Device, r.Baseline, r.Comparison, r.Target, r.VerdictText }));
        int[] widths = Enumerable.Range(0, 7).Select(c => cells.Max(row => row[c].Length)).ToArray();
        var sb = new StringBuilder();
        foreach (string[] row in cells)
            sb.AppendLine(string.Join("  ", row.Select((cell, c) => cell.PadRight(widths[c]))).TrimEnd());
        return sb.ToString();
    }

    public IEnumerable<string> NotesFor(string section) => _notes.Where(n => n.Section == section).Select(n => n.Text);

    public IReadOnlyList<string> MissedTargets => _missed;

    private static string Cell(string s) => s.Replace("|", "\\|");
}
