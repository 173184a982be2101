using System.Diagnostics;
using System.Text;
using IotyDevice.TestKit;
using Xunit.Sdk;

namespace Simulator.Tests.Infrastructure;

/// <summary>One command line run by bash exactly as written (e.g. a README example), in a given folder, in a process
/// group of its own (as a terminal runs a command): its output lines are kept, every wait is bounded, Interrupt is
/// Ctrl+C (SIGINT to the group), and Dispose kills the group (and any child that left it) if it still runs.</summary>
public sealed class ShellCommand : IDisposable
{
    private const int SIGINT = 2;
    private const int SIGKILL = 9;

    /// <summary>How long to wait, after the command ended, for the end of its output (a child it left running may
    /// hold the pipes open).</summary>
    private static readonly TimeSpan Drain = TimeSpan.FromSeconds(5);

    private readonly Process _process;
    private readonly ManualResetEventSlim _stdoutClosed = new();
    private readonly ManualResetEventSlim _stderrClosed = new();
    private readonly List<string> _lines = new();
    private readonly object _gate = new();
    private readonly string _commandLine;

    private ShellCommand(string workingDirectory, string commandLine, bool keepInput)
    {
        _commandLine = commandLine;
        // setsid makes bash the leader of a new session and process group (same PID: a child of the test host is
        // never a group leader, so setsid does not fork), so the whole command can be signalled and checked for leftovers.
        var info = new ProcessStartInfo("setsid")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
        };
        info.ArgumentList.Add("bash");
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(commandLine);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        // A `dotnet run` builds; no MSBuild node or compiler server may outlive the command (they would be left
        // in its process group, or be shared with builds this test does not own).
        info.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        info.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        info.Environment["UseSharedCompilation"] = "false";
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => { if (e.Data == null) _stdoutClosed.Set(); else Keep("out| ", e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data == null) _stderrClosed.Set(); else Keep("err| ", e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        // No input unless asked for: end of input at once, as from </dev/null (never the test host's own stdin).
        if (!keepInput) _process.StandardInput.Close();
    }

    /// <summary>Starts <paramref name="commandLine"/> with no input (end of input at once).</summary>
    public static ShellCommand Start(string workingDirectory, string commandLine) => new(workingDirectory, commandLine, keepInput: false);

    /// <summary>Starts <paramref name="commandLine"/> with its input open: <see cref="Send"/> types into it.</summary>
    public static ShellCommand StartWithInput(string workingDirectory, string commandLine) => new(workingDirectory, commandLine, keepInput: true);

    /// <summary>Runs <paramref name="commandLine"/> to its end with no input; returns its exit code and its output
    /// (stdout and stderr lines in arrival order). Past <paramref name="timeout"/> it is killed and the test fails.</summary>
    public static (int Code, string Output) Run(string workingDirectory, string commandLine, TimeSpan timeout)
    {
        using var command = Start(workingDirectory, commandLine);
        int code = command.WaitForExit(timeout);
        return (code, command.Output());
    }

    public int ProcessGroup => _process.Id;

    private void Keep(string stream, string line)
    {
        if (line == null) return;
        lock (_gate)
        {
            _lines.Add(stream + line);
            Monitor.PulseAll(_gate);
        }
    }

    public void Send(string line)
    {
        Keep("in | ", line);
        _process.StandardInput.WriteLine(line);
        _process.StandardInput.Flush();
    }

    /// <summary>The output lines so far (stdout and stderr, in arrival order).</summary>
    public string[] Lines
    {
        get { lock (_gate) return OutputLines().ToArray(); }
    }

    /// <summary>The output lines (stdout and stderr, in arrival order) without their stream marks.</summary>
    public string Output()
    {
        lock (_gate) return string.Join("\n", OutputLines());
    }

    /// <summary>Waits for an output line (stdout or stderr) equal to <paramref name="line"/>.</summary>
    public void WaitForLine(string line, TimeSpan timeout) =>
        WaitFor(l => l == line, "the line \"" + line + "\"", timeout);

    /// <summary>Waits for an output line starting with <paramref name="start"/> and returns it.</summary>
    public string WaitForLineStarting(string start, TimeSpan timeout) =>
        WaitFor(l => l.StartsWith(start, StringComparison.Ordinal), "a line starting \"" + start + "\"", timeout);

    private string WaitFor(Func<string, bool> match, string what, TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        bool ended = false;
        while (true)
        {
            lock (_gate)
            {
                string found = OutputLines().FirstOrDefault(match);
                if (found != null) return found;
                TimeSpan left = timeout - clock.Elapsed;
                if (!ended && left > TimeSpan.Zero && !_process.HasExited)
                {
                    Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
                    continue;
                }
            }
            if (ended || clock.Elapsed >= timeout)
                throw new XunitException((ended ? "The command ended without " + what : "Timed out after " + timeout.TotalSeconds + " s waiting for " + what)
                    + ": " + Transcript());
            AwaitEndOfOutput(); // ended: its last output (outside the lock: the readers take it), then look once more
            ended = true;
        }
    }

    private IEnumerable<string> OutputLines() => _lines.Where(l => !l.StartsWith("in | ", StringComparison.Ordinal)).Select(l => l[5..]);

    public int WaitForExit(TimeSpan timeout)
    {
        if (!_process.WaitForExit(timeout))
        {
            KillGroup();
            throw new XunitException("\"" + _commandLine + "\" did not exit within " + timeout.TotalSeconds + " s: " + Transcript());
        }
        AwaitEndOfOutput();
        return _process.ExitCode;
    }

    private void AwaitEndOfOutput()
    {
        _process.WaitForExit(Drain);
        WaitHandle.WaitAll(new[] { _stdoutClosed.WaitHandle, _stderrClosed.WaitHandle }, Drain);
    }

    /// <summary>Ctrl+C in the command's terminal: SIGINT to its whole process group.</summary>
    public void Interrupt()
    {
        Keep("in | ", "(Ctrl+C: SIGINT to process group " + ProcessGroup + ")");
        Posix.Signal(-ProcessGroup, SIGINT);
    }

    /// <summary>The processes still in the command's process group ("pid command line"), none once it has ended cleanly.</summary>
    public string[] ProcessesLeft()
    {
        var left = new List<string>();
        foreach (string dir in Directory.GetDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                string stat = File.ReadAllText(Path.Combine(dir, "stat"));
                // pid (comm) state ppid pgrp ...: comm may hold spaces and parentheses, so read after the last ')'.
                string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] != "Z" && int.Parse(fields[2]) == ProcessGroup)
                    left.Add(pid + " " + File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim());
            }
            catch (IOException)
            {
                // Ended while being read.
            }
        }
        return left.ToArray();
    }

    public string Transcript()
    {
        lock (_gate) return _commandLine + "\n" + string.Join("\n", _lines) + (_process.HasExited ? "\n(exit code " + _process.ExitCode + ")" : "");
    }

    private void KillGroup()
    {
        try { Posix.Signal(-ProcessGroup, SIGKILL); } catch (InvalidOperationException) { } // the group is gone
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
        KillGroup();
        _process.WaitForExit(5000);
        _process.Dispose();
        _stdoutClosed.Dispose();
        _stderrClosed.Dispose();
    }
}
