using System.Diagnostics;

namespace IotyDevice.TestKit;

/// <summary>Something that changes (monitor lines, peer messages, broker log lines) pulses its Signal; waits
/// re-check their condition on each pulse, so they end as soon as it holds and never sleep-poll blindly.</summary>
public sealed class Signal
{
    private readonly object _gate = new();
    private long _version;

    public void Pulse()
    {
        lock (_gate)
        {
            _version++;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits until <paramref name="condition"/> holds or the timeout passes; true if it holds.</summary>
    public bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (true)
        {
            long seen;
            lock (_gate) seen = _version;
            if (condition()) return true;
            TimeSpan left = timeout - clock.Elapsed;
            if (left <= TimeSpan.Zero) return false;
            lock (_gate)
            {
                // The slice bounds a missed pulse from a condition that also depends on other state.
                if (_version == seen) Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
            }
        }
    }
}

/// <summary>A failed wait or check that already carries its transcript (device monitor, broker log): a test
/// framework shows it as it is, without adding the transcript again.</summary>
public sealed class ScenarioFailure : Exception
{
    public ScenarioFailure(string message) : base(message) { }
}

public static class Wait
{
    /// <summary>Waits for <paramref name="condition"/> on <paramref name="signal"/>; on timeout throws a
    /// <see cref="ScenarioFailure"/> naming what was awaited, with the transcript (monitor lines, broker log)
    /// that shows why it did not happen.</summary>
    public static void Until(Signal signal, Func<bool> condition, TimeSpan timeout, string what, Func<string> transcript = null)
    {
        if (signal.WaitUntil(condition, timeout)) return;
        throw new ScenarioFailure("Timed out after " + timeout.TotalSeconds + " s waiting for: " + what
            + (transcript == null ? "" : "\n" + transcript()));
    }
}
