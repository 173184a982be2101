using IotyDevice.Core;

namespace Broker.Tests.Infrastructure;

/// <summary>The device's monitor as a test sees it: every line kept in order, a Signal pulsed per line. An
/// optional per-line delay stands in for the device's slow serial port, so a flood really backs up the inbox.</summary>
public sealed class RecordingMonitor : IMonitor
{
    private readonly List<string> _lines = new();
    private readonly object _gate = new();

    public Signal Changed { get; } = new();

    /// <summary>Time one received-message line takes to "print" (serial at 115200 baud: ~1 ms per line).</summary>
    public TimeSpan MessageLineDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Called on the device's thread after each line (e.g. to sample the inbox while it prints).</summary>
    public Action<string> OnLine { get; set; }

    public void WriteLine(string line) => Add(line);

    public void WriteLine(char[] chars, int count)
    {
        Add(new string(chars, 0, count));
        if (MessageLineDelay > TimeSpan.Zero) Thread.Sleep(MessageLineDelay); // the serial port is busy
    }

    private void Add(string line)
    {
        lock (_gate) _lines.Add(line);
        OnLine?.Invoke(line);
        Changed.Pulse();
    }

    public string[] Lines
    {
        get { lock (_gate) return _lines.ToArray(); }
    }

    public int Count(string fragment) => Lines.Count(l => l.Contains(fragment, StringComparison.Ordinal));

    public int CountFrom(int startIndex, string fragment) => Lines.Skip(startIndex).Count(l => l.Contains(fragment, StringComparison.Ordinal));

    public int LineCount
    {
        get { lock (_gate) return _lines.Count; }
    }

    public string Transcript(int maxLines = 120)
    {
        string[] lines = Lines;
        IEnumerable<string> shown = lines.Length <= maxLines ? lines : lines.Skip(lines.Length - maxLines);
        return "---- device monitor (" + lines.Length + " lines" + (lines.Length > maxLines ? ", last " + maxLines + " shown" : "") + ") ----\n"
            + string.Join("\n", shown.Select(l => l.Length > 300 ? l[..300] + "...(" + l.Length + " chars)" : l));
    }
}
