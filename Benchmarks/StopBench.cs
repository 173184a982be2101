using System.Diagnostics;
using System.Reflection;
using IotyDevice.TestKit;

namespace IotyDevice.Benchmarks;

/// <summary>Section 10: how long stopping takes. The core's orderly stop (retained "offline", then a close that waits
/// for the inbox to go quiet) and the simulator's quit, which the simulator promises within about a second.</summary>
public static class StopBench
{
    public const string Section = "10. Stop: the core's orderly stop and the simulator's quit";
    private const double QuitTargetMs = 1000;

    /// <summary>The simulator this project built (see IotyDevice.Benchmarks.csproj).</summary>
    private static readonly string SimulatorDll = Path.GetFullPath(typeof(StopBench).Assembly
        .GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "SimulatorDll").Value);

    public static void Run(BenchReport report, int samples)
    {
        var core = new List<double>();
        using (MosquittoBroker broker = Live.Broker("stop"))
        {
            for (int i = 0; i < samples; i++)
            {
                using DeviceUnderTest device = Live.StartDevice(broker, "stop-" + i);
                long asked = Stopwatch.GetTimestamp();
                device.Stop(); // returns once Run() has returned
                core.Add(Stats.TicksToMilliseconds(Stopwatch.GetTimestamp() - asked));
            }
        }

        var quit = new List<double>();
        for (int i = 0; i < samples; i++) quit.Add(SimulatorQuitMs());

        int quietMs = new Core.DeviceOptions().CloseQuietMs;
        double quitMedian = Stats.Median(quit);
        Verdict verdict = quitMedian <= QuitTargetMs ? Verdict.Met : Verdict.Missed;
        report.Add(new Row("10a", $"core: Device.Stop() → Run() returned, median / max of {samples}",
            Stats.Ms(Stats.Median(core)) + " / " + Stats.Ms(core.Max()), "", $"inbox quiet wait {quietMs} ms", "", Verdict.Info));
        report.Add(new Row("10b", $"simulator: quit typed → process exited, median / max of {samples}",
            Stats.Ms(quitMedian) + " / " + Stats.Ms(quit.Max()), "", "", "median ≤ 1000 ms", verdict));
        if (verdict == Verdict.Missed)
            report.Missed($"10b: the simulator's quit took {Stats.Ms(quitMedian)} (median), over the second Simulation.Stop promises.");
        report.Note(Section, $"10a: the real core on the host adapters, online on a Mosquitto over TLS with firmware defaults, nothing arriving; "
            + $"from Device.Stop() to Run() returning, which publishes the retained \"offline\" and then waits until no message has "
            + $"arrived for CloseQuietMs ({quietMs} ms) before closing (what M2Mqtt still holds would be lost by an earlier close). "
            + "Samples: " + string.Join(", ", core.Select(Stats.Ms)) + ". "
            + "10b: the simulator as a learner runs it (dotnet IotyDevice.Simulator.dll --port 0, its embedded broker, a fresh state "
            + "folder each time), `quit` written to its stdin once it printed that the device is online, until the process exited: "
            + "the web server, the App Builder peer, the core's stop (10a) and the broker, then the .NET runtime's own exit. Samples: "
            + string.Join(", ", quit.Select(Stats.Ms)) + ". The tests check that quit exits 0 and never time it.");
    }

    private static double SimulatorQuitMs()
    {
        string state = Path.Combine(Path.GetTempPath(), "ioty-bench-quit-" + Guid.NewGuid().ToString("N")[..8]);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardInput = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { SimulatorDll, "--port", "0", "--state-dir", state }) info.ArgumentList.Add(a);
        using var online = new ManualResetEventSlim();
        using var process = new Process { StartInfo = info };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data != null && e.Data.StartsWith("[sim] the device is online", StringComparison.Ordinal)) online.Set();
        };
        try
        {
            process.Start();
            process.BeginOutputReadLine();
            if (!online.Wait(TimeSpan.FromSeconds(30)))
                throw new InvalidOperationException("the simulator did not say the device is online within 30 s");
            long asked = Stopwatch.GetTimestamp();
            process.StandardInput.WriteLine("quit");
            process.StandardInput.Flush();
            if (!process.WaitForExit(TimeSpan.FromSeconds(15)))
                throw new InvalidOperationException("the simulator did not exit within 15 s of quit");
            return Stats.TicksToMilliseconds(Stopwatch.GetTimestamp() - asked);
        }
        finally
        {
            if (!process.HasExited) process.Kill(entireProcessTree: true);
            if (Directory.Exists(state)) Directory.Delete(state, recursive: true);
        }
    }
}
