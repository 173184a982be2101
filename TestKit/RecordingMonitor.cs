using IotyDevice.Core;

namespace IotyDevice.TestKit;

/// <summary>The device's monitor as a test sees it, for the unit tests (Firmware.Tests) and the tests and benchmarks
/// on a real broker alike: every line kept in order, a Signal pulsed per line. An
/// optional per-line delay stands in for the device's slow serial port, so a flood really backs up the inbox.
/// A benchmark can see each received-message line first (<see cref="OnMessageLine"/>, before any work here) and
/// count such lines instead of keeping them (<see cref="KeepMessageLines"/>), so its own memory stays flat.</summary>
public sealed class RecordingMonitor : IMonitor
{
    private readonly List<string> _lines = new();
    private readonly object _gate = new();
    private long _messageLines;

    public Signal Changed { get; } = new();

    /// <summary>Time one received-message line takes to "print" (serial at 115200 baud: ~1 ms per line).</summary>
    public TimeSpan MessageLineDelay { get; set; } = TimeSpan.Zero;

    /// <summary>Called on the device's thread after each line (e.g. to sample the inbox while it prints).</summary>
    public Action<string> OnLine { get; set; }

    /// <summary>Called on the device's thread with each received-message line, before this monitor does anything.</summary>
    public Action<char[], int> OnMessageLine { get; set; }

    /// <summary>False: received-message lines are only counted (<see cref="MessageLineCount"/>), not kept as strings.</summary>
    public bool KeepMessageLines { get; set; } = true;

    /// <summary>Received-message lines written so far, kept or not.</summary>
    public long MessageLineCount => Interlocked.Read(ref _messageLines);

    public void WriteLine(string line) => Add(line);

    public void WriteLine(char[] chars, int count)
    {
        OnMessageLine?.Invoke(chars, count);
        Interlocked.Increment(ref _messageLines);
        if (KeepMessageLines) Add(new string(chars, 0, count));
        else Changed.Pulse();
        if (MessageLineDelay > TimeSpan.Zero) Thread.Sleep(MessageLineDelay); // the serial port is busy
    }

    private void Add(string line)
    {
        lock (_gate) _lines.Add(line);
        OnLine?.Invoke(line);
        Changed.Pulse();
    }

    /// <summary>The lines so far: a copy, so a test can read it while the device's thread still prints.</summary>
    public List<string> Lines
    {
        get { lock (_gate) return new List<string>(_lines); }
    }

    public int Count(string fragment)
    {
        lock (_gate) return _lines.Count(l => l.Contains(fragment, StringComparison.Ordinal));
    }

    public int CountFrom(int startIndex, string fragment) => Lines.Skip(startIndex).Count(l => l.Contains(fragment, StringComparison.Ordinal));

    public int LineCount
    {
        get { lock (_gate) return _lines.Count; }
    }

    /// <summary>The last lines (at most 120, each cut at 300 chars), for a failed assertion's message.</summary>
    public string Transcript
    {
        get
        {
            const int maxLines = 120;
            List<string> lines = Lines;
            return "---- device monitor (" + lines.Count + " lines" + (lines.Count > maxLines ? ", last " + maxLines + " shown" : "") + ") ----\n"
                + string.Join("\n", lines.TakeLast(maxLines).Select(l => l.Length > 300 ? l[..300] + "...(" + l.Length + " chars)" : l));
        }
    }
}
