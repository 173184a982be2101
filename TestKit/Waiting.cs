using System.Diagnostics;

namespace IotyDevice.TestKit;

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
