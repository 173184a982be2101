using System.Diagnostics;
using System.Text;
using Xunit.Sdk;

namespace Simulator.Tests.Infrastructure;

/// <summary>One command line run by bash exactly as written (e.g. a README example), in a given folder; its output
/// lines are kept, every wait is bounded, and Dispose kills it (and its children) if it still runs.</summary>
public sealed class ShellCommand : IDisposable
{
    private readonly Process _process;
    private readonly List<string> _lines = new();
    private readonly object _gate = new();
    private readonly string _commandLine;

    private ShellCommand(string workingDirectory, string commandLine)
    {
        _commandLine = commandLine;
        var info = new ProcessStartInfo("bash")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(commandLine);
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => Keep("out| ", e.Data);
        _process.ErrorDataReceived += (_, e) => Keep("err| ", e.Data);
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        _process.StandardInput.Close();
    }

    public static ShellCommand Start(string workingDirectory, string commandLine) => new(workingDirectory, commandLine);

    private void Keep(string stream, string line)
    {
        if (line == null) return;
        lock (_gate)
        {
            _lines.Add(stream + line);
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>Waits for an output line (stdout or stderr) equal to <paramref name="line"/>.</summary>
    public void WaitForLine(string line, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        lock (_gate)
        {
            while (!_lines.Contains("out| " + line) && !_lines.Contains("err| " + line))
            {
                TimeSpan left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero)
                    throw new XunitException("Timed out after " + timeout.TotalSeconds + " s waiting for the line \"" + line + "\" from: " + Transcript());
                Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
            }
        }
    }

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
            throw new XunitException("\"" + _commandLine + "\" did not exit within " + timeout.TotalSeconds + " s: " + Transcript());
        _process.WaitForExit();
        return _process.ExitCode;
    }

    public string Transcript()
    {
        lock (_gate) return _commandLine + "\n" + string.Join("\n", _lines) + (_process.HasExited ? "\n(exit code " + _process.ExitCode + ")" : "");
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited) _process.Kill(entireProcessTree: true);
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }
        _process.WaitForExit(5000);
        _process.Dispose();
    }
}
