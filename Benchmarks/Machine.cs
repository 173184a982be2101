using System.Diagnostics;
using System.Runtime;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace IotyDevice.Benchmarks;

/// <summary>What the numbers were measured on: they mean little without it.</summary>
public static class Machine
{
    public static IEnumerable<(string What, string Value)> Describe()
    {
        yield return ("cores (nproc)", Environment.ProcessorCount.ToString());
        yield return ("CPU model", FirstMatch("/proc/cpuinfo", @"^model name\s*:\s*(.+)$") ?? "unknown");
        string memKb = FirstMatch("/proc/meminfo", @"^MemTotal:\s*(\d+) kB");
        yield return ("memory", memKb == null ? "unknown" : (long.Parse(memKb) / 1024.0 / 1024.0).ToString("0.0") + " GiB");
        string os = FirstMatch("/etc/os-release", "^PRETTY_NAME=\"?([^\"]+)\"?$") ?? RuntimeInformation.OSDescription;
        yield return ("OS", os + ", kernel " + Run("uname", "-r"));
        yield return (".NET", RuntimeInformation.FrameworkDescription + " (SDK " + Run("dotnet", "--version") + "), "
            + (GCSettings.IsServerGC ? "server" : "workstation") + " GC" + (GCSettings.LatencyMode == GCLatencyMode.Interactive ? " (concurrent)" : "")
            + ", " + JitSettings());
        yield return ("mosquitto", MosquittoVersion());
        yield return ("MQTTnet", typeof(MQTTnet.MqttClientFactory).Assembly.GetName().Version?.ToString() ?? "unknown");
    }

    /// <summary>/proc/loadavg's 1, 5 and 15 minute load averages and running/all tasks, e.g. "0.61 0.46 0.21 (1/93 tasks)".</summary>
    public static string LoadAverage()
    {
        try
        {
            string[] f = File.ReadAllText("/proc/loadavg").Split(' ');
            return $"{f[0]} {f[1]} {f[2]} ({f[3]} running/all tasks)";
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The tiered-JIT settings this process runs with (environment or runtimeconfig).</summary>
    public static string JitSettings()
    {
        string tc = Environment.GetEnvironmentVariable("DOTNET_TieredCompilation");
        string pgo = Environment.GetEnvironmentVariable("DOTNET_TieredPGO");
        string osr = Environment.GetEnvironmentVariable("DOTNET_TC_OnStackReplacement");
        return "TieredCompilation " + (tc ?? "default (on)") + ", TieredPGO " + (pgo ?? "default (on)") + ", OSR " + (osr ?? "default (on)");
    }

    private static string MosquittoVersion()
    {
        // mosquitto -h prints "mosquitto version 2.0.11" first and exits non-zero; that is fine here.
        string text = Run("/usr/sbin/mosquitto", "-h");
        Match m = Regex.Match(text, @"mosquitto version (\S+)");
        return m.Success ? m.Groups[1].Value : "unknown";
    }

    private static string FirstMatch(string file, string pattern)
    {
        try
        {
            foreach (string line in File.ReadLines(file))
            {
                Match m = Regex.Match(line, pattern);
                if (m.Success) return m.Groups[1].Value.Trim();
            }
        }
        catch (IOException)
        {
        }
        return null;
    }

    private static string Run(string tool, string args)
    {
        try
        {
            var info = new ProcessStartInfo(tool, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using Process p = Process.Start(info);
            Task<string> err = p.StandardError.ReadToEndAsync();
            string output = p.StandardOutput.ReadToEnd() + err.Result;
            p.WaitForExit(10_000);
            return output.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? "";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception || e is InvalidOperationException)
        {
            return "unknown";
        }
    }
}
