namespace Broker.Tests.Infrastructure;

/// <summary>Where a test run keeps its files. Logs go to .test-artifacts/broker-tests/&lt;run&gt;/ in the repository
/// (ignored by git) so a failed CI run can be read afterwards. The files mosquitto itself must read (config,
/// keys, password file, persistence) live under /tmp instead: mosquitto drops to user "mosquitto" when started
/// as root, and /tmp is traversable by it wherever the repository was cloned.</summary>
public static class Artifacts
{
    private static readonly string RunId = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss") + "-" + Environment.ProcessId;

    private static readonly Lazy<string> LogRoot = new(() =>
    {
        string root = Path.Combine(FindRepositoryRoot(), ".test-artifacts", "broker-tests");
        Directory.CreateDirectory(root);
        PruneOldRuns(root, keep: 5);
        string dir = Path.Combine(root, RunId);
        Directory.CreateDirectory(dir);
        return dir;
    });

    private static readonly Lazy<string> RuntimeRoot = new(() =>
    {
        string root = Path.Combine(Path.GetTempPath(), "ioty-broker-tests");
        Directory.CreateDirectory(root);
        foreach (string old in Directory.GetDirectories(root).Where(d => Directory.GetLastWriteTimeUtc(d) < DateTime.UtcNow.AddHours(-2)))
        {
            try { Directory.Delete(old, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
        string dir = Path.Combine(root, RunId);
        Directory.CreateDirectory(dir);
        Posix.MakeTraversable(root);
        Posix.MakeTraversable(dir);
        return dir;
    });

    /// <summary>A fresh folder for logs, e.g. LogDirectory("Device_prints_on_and_off_in_order").</summary>
    public static string LogDirectory(string name)
    {
        string dir = Path.Combine(LogRoot.Value, Sanitize(name));
        Directory.CreateDirectory(dir);
        return dir;
    }

    /// <summary>A fresh folder mosquitto can read (mode 0755).</summary>
    public static string RunDirectory(string name)
    {
        string dir = Path.Combine(RuntimeRoot.Value, Sanitize(name) + "-" + Guid.NewGuid().ToString("N")[..6]);
        Directory.CreateDirectory(dir);
        Posix.MakeTraversable(dir);
        return dir;
    }

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "Broker.Tests"))) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

    private static void PruneOldRuns(string root, int keep)
    {
        try
        {
            foreach (string old in Directory.GetDirectories(root).OrderByDescending(d => d).Skip(keep))
                Directory.Delete(old, recursive: true);
        }
        catch (IOException)
        {
            // Another test process may be using it; pruning is housekeeping only.
        }
    }

    private static string Sanitize(string name)
    {
        char[] chars = name.ToCharArray();
        for (int i = 0; i < chars.Length; i++)
            if (!char.IsLetterOrDigit(chars[i]) && chars[i] != '-' && chars[i] != '_') chars[i] = '_';
        return new string(chars);
    }
}
