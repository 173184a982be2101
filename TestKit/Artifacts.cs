namespace IotyDevice.TestKit;

/// <summary>Where a run keeps its files. Logs go to .test-artifacts/&lt;suite&gt;/&lt;run&gt;/ in the repository (ignored
/// by git) so a failed CI run can be read afterwards; the suite is named after the project folder the running
/// assembly was built in (Broker.Tests: broker-tests, Simulator.Tests: simulator-tests, Benchmarks: benchmarks).
/// The files mosquitto itself must read (config, keys, password file, persistence) live under
/// /tmp/ioty-&lt;suite&gt;/ instead: mosquitto drops to user "mosquitto" when started as root, and /tmp is traversable
/// by it wherever the repository was cloned.</summary>
public static class Artifacts
{
    private static readonly string RunId = DateTime.UtcNow.ToString("yyyyMMdd-HHmmss") + "-" + Environment.ProcessId;

    private static readonly Lazy<string> Root = new(FindRepositoryRoot);

    /// <summary>"broker-tests" for an assembly built under &lt;repository&gt;/Broker.Tests/bin/...</summary>
    public static string Suite { get; } = SuiteName();

    private static readonly Lazy<string> LogRoot = new(() =>
    {
        string root = Path.Combine(Root.Value, ".test-artifacts", Suite);
        Directory.CreateDirectory(root);
        PruneOldRuns(root, keep: 5);
        string dir = Path.Combine(root, RunId);
        Directory.CreateDirectory(dir);
        return dir;
    });

    private static readonly Lazy<string> RuntimeRoot = new(() =>
    {
        string root = Path.Combine(Path.GetTempPath(), "ioty-" + Suite);
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

    /// <summary>The repository root (where IotyDevice.sln is), for files such as Firmware/settings.example.json;
    /// the current directory when the assembly runs outside a checkout.</summary>
    public static string RepositoryRoot => Root.Value;

    private static string FindRepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IotyDevice.sln"))) return dir.FullName;
        }
        return Directory.GetCurrentDirectory();
    }

    private static string SuiteName()
    {
        string relative = Path.GetRelativePath(Root.Value, AppContext.BaseDirectory);
        string first = relative.Split(Path.DirectorySeparatorChar, Path.AltDirectorySeparatorChar)[0];
        if (first.Length == 0 || first == "." || first == "..") first = "testkit";
        return first.Replace('.', '-').ToLowerInvariant();
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
