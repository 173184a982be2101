using System.Diagnostics;
using System.Reflection;
using System.Text;
using Xunit.Sdk;

namespace Simulator.Tests.Infrastructure;

/// <summary>One run of the simulator as a real process (dotnet IotyDevice.Simulator.dll ...): its stdin is the
/// test's keyboard, its stdout lines are kept with their times. Every wait is bounded; on a timeout the process is
/// killed and the failure carries the whole transcript. A watchdog kills it after <see cref="HardLimit"/> whatever
/// the test does, and Dispose kills it if still running, so no simulator outlives its test.</summary>
public sealed class SimulatorProcess : IDisposable
{
    public static readonly TimeSpan HardLimit = TimeSpan.FromSeconds(90);

    private readonly Process _process;
    private readonly List<(TimeSpan At, string Stream, string Line)> _lines = new();
    private readonly object _gate = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Timer _watchdog;
    private readonly string _commandLine;
    private bool _killedByWatchdog;

    /// <summary>The simulator this test project built (see Simulator.Tests.csproj).</summary>
    public static string Dll
    {
        get
        {
            string path = typeof(SimulatorProcess).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
                .Single(a => a.Key == "SimulatorDll").Value;
            path = Path.GetFullPath(path);
            if (!File.Exists(path))
                throw new XunitException("The simulator is not built at " + path + ": build Simulator.Tests (it builds the simulator first).");
            return path;
        }
    }

    private SimulatorProcess(string[] args, string workingDirectory)
    {
        var info = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Path.GetTempPath(),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add(Dll);
        foreach (string a in args) info.ArgumentList.Add(a);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        _commandLine = "dotnet " + string.Join(" ", info.ArgumentList);
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => { if (e.Data != null) Keep("out", e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) Keep("err", e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _watchdog = new Timer(_ =>
        {
            _killedByWatchdog = true;
            Kill();
        }, null, HardLimit, Timeout.InfiniteTimeSpan);
    }

    public static SimulatorProcess Start(string workingDirectory, params string[] args) => new(args, workingDirectory);

    private void Keep(string stream, string line)
    {
        lock (_gate)
        {
            _lines.Add((_clock.Elapsed, stream, line));
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The stdout lines so far.</summary>
    public string[] Lines
    {
        get { lock (_gate) return _lines.Where(l => l.Stream == "out").Select(l => l.Line).ToArray(); }
    }

    /// <summary>The simulator's process ID (for its memory in /proc).</summary>
    public int ProcessId => _process.Id;

    public int Count(string fragment) => Lines.Count(l => l.Contains(fragment, StringComparison.Ordinal));

    public void Send(string line)
    {
        Keep("in", line);
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>End of input, as Ctrl+D or the end of a piped script.</summary>
    public void CloseInput()
    {
        Keep("in", "(end of input)");
        _process.StandardInput.Close();
    }

    /// <summary>Waits for a stdout line containing <paramref name="fragment"/> and returns it.</summary>
    public string WaitForLine(string fragment, TimeSpan timeout)
    {
        string found = null;
        if (WaitUntil(() => (found = Lines.FirstOrDefault(l => l.Contains(fragment, StringComparison.Ordinal))) != null, timeout))
            return found;
        Kill();
        throw new XunitException("Timed out after " + timeout.TotalSeconds + " s waiting for a line containing \"" + fragment + "\"\n" + Transcript());
    }

    public void WaitForCount(string fragment, int count, TimeSpan timeout)
    {
        if (WaitUntil(() => Count(fragment) >= count, timeout)) return;
        Kill();
        throw new XunitException("Timed out after " + timeout.TotalSeconds + " s waiting for " + count + " line(s) containing \""
            + fragment + "\"\n" + Transcript());
    }

    /// <summary>Waits for the process to end by itself and returns its exit code; kills it on timeout.</summary>
    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            Kill();
            throw new XunitException("The simulator did not exit within " + timeout.TotalSeconds + " s\n" + Transcript());
        }
        _process.WaitForExit(); // drains the output pipes
        return _process.ExitCode;
    }

    private bool WaitUntil(Func<bool> condition, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        lock (_gate)
        {
            while (true)
            {
                if (condition()) return true;
                TimeSpan left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero || _process.HasExited && !condition()) return condition();
                Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
            }
        }
    }

    /// <summary>Runs the test's checks; any failure is rethrown with the transcript (and <paramref name="more"/>,
    /// e.g. the broker's log) attached, so a red test explains itself.</summary>
    public void Verify(Action checks, Func<string> more = null)
    {
        try
        {
            checks();
        }
        catch (Exception e)
        {
            Kill();
            string text = e.Message;
            if (!text.Contains("---- simulator transcript", StringComparison.Ordinal)) text += "\n" + Transcript();
            if (more != null) text += "\n" + more();
            // Not as an inner exception: xunit would print the message (and transcript) twice.
            throw new XunitException(text + "\n---- failed at:\n" + e.StackTrace);
        }
    }

    public string Transcript()
    {
        var text = new StringBuilder();
        text.AppendLine("---- simulator transcript: " + _commandLine + " ----");
        lock (_gate)
        {
            foreach (var (at, stream, line) in _lines)
                text.AppendLine("+" + at.TotalSeconds.ToString("0.000") + "s " + stream + "| " + line);
        }
        if (_process.HasExited) text.AppendLine("(exited with code " + _process.ExitCode + ")");
        if (_killedByWatchdog) text.AppendLine("(killed by the " + HardLimit.TotalSeconds + " s watchdog)");
        return text.ToString();
    }

    private void Kill()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
    }

    public void Dispose()
    {
        _watchdog.Dispose();
        Kill();
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
