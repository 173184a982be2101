using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace IotyDevice.TestKit;

/// <summary>What a test (or a benchmark) needs from its own Mosquitto.</summary>
public sealed class BrokerOptions
{
    /// <summary>False for a plain MQTT listener (to check what the device says when TLS meets plain MQTT).</summary>
    public bool Tls { get; init; } = true;

    /// <summary>The server certificate; null is the normal localhost certificate.</summary>
    public TestPki.ServerFiles Certificate { get; init; }

    /// <summary>Keep sessions and queued QoS 1 messages across a broker restart.</summary>
    public bool Persistence { get; init; }

    /// <summary>mosquitto log_type lines; "information" is needed (the fixture waits for its "running" line);
    /// "all" adds per-packet lines (too many for a flood).</summary>
    public string[] LogTypes { get; init; } = { "error", "warning", "notice", "information", "subscribe" };

    /// <summary>Further mosquitto.conf lines (e.g. "max_queued_messages 1000"), written before the listener.</summary>
    public string[] ExtraConfig { get; init; } = Array.Empty<string>();
}

/// <summary>A real Mosquitto on 127.0.0.1 for one test or benchmark: TLS (1.2 minimum) with a throwaway CA, a password file
/// (no anonymous access), its own port, log captured line by line. Started from /usr/sbin/mosquitto; stopped
/// by PID (SIGTERM, or SIGKILL for crash tests) and reaped, so no zombie outlives the test. A missing or
/// failing mosquitto fails the test with the reason, never skips it.</summary>
public sealed class MosquittoBroker : IDisposable
{
    public const string Executable = "/usr/sbin/mosquitto";
    public const string PasswdTool = "/usr/bin/mosquitto_passwd";
    public const string DeviceUser = "device";
    public const string DevicePassword = "device-pass-1";
    public const string AppUser = "app";
    public const string AppPassword = "app-pass-1";

    private readonly BrokerOptions _options;
    private readonly string _dir;
    private readonly string _logPath;
    private readonly List<string> _log = new();
    private readonly List<long> _logArrivalMs = new();
    private readonly Stopwatch _sinceCreated = Stopwatch.StartNew();
    private readonly object _logGate = new();
    private Process _process;
    private int _starts;

    public Signal Changed { get; } = new();
    public int Port { get; }
    public string Name { get; }
    public bool IsRunning => _process != null && !_process.HasExited;

    public MosquittoBroker(string name, BrokerOptions options = null)
    {
        _options = options ?? new BrokerOptions();
        Name = name;
        if (!File.Exists(Executable))
            throw new InvalidOperationException("Mosquitto is not installed (" + Executable
                + " is missing). Install it with: apt-get install -y mosquitto mosquitto-clients");
        if (!File.Exists(PasswdTool))
            throw new InvalidOperationException(PasswdTool + " is missing. Install it with: apt-get install -y mosquitto mosquitto-clients");
        _dir = Artifacts.RunDirectory(name);
        _logPath = Path.Combine(Artifacts.LogDirectory(name), "mosquitto-" + Path.GetFileName(_dir) + ".log");
        Port = FreePort();
        WriteFiles();
        Start();
    }

    private void WriteFiles()
    {
        TestPki pki = TestPki.Instance;
        string passwd = Path.Combine(_dir, "passwd");
        RunTool(PasswdTool, "-c", "-b", passwd, DeviceUser, DevicePassword);
        RunTool(PasswdTool, "-b", passwd, AppUser, AppPassword);
        Posix.RestrictToMosquittoGroup(passwd);

        var conf = new StringBuilder();
        conf.AppendLine("# Written by IotyDevice.TestKit (" + Artifacts.Suite + ") for " + Name + "; see TestKit/MosquittoBroker.cs.");
        conf.AppendLine("per_listener_settings false");
        conf.AppendLine("allow_anonymous false");
        conf.AppendLine("password_file " + passwd);
        conf.AppendLine("log_dest stderr"); // unbuffered, unlike stdout into a pipe
        foreach (string type in _options.LogTypes) conf.AppendLine("log_type " + type);
        conf.AppendLine("log_timestamp true");
        conf.AppendLine("log_timestamp_format %H:%M:%S");
        conf.AppendLine("connection_messages true");
        if (_options.Persistence)
        {
            string data = Path.Combine(_dir, "data");
            Directory.CreateDirectory(data);
            Posix.GiveToMosquitto(data);
            conf.AppendLine("persistence true");
            conf.AppendLine("persistence_location " + data + "/");
            conf.AppendLine("autosave_interval 1"); // a kill -9 loses at most ~1 s of broker state
        }
        else
        {
            conf.AppendLine("persistence false");
        }
        foreach (string line in _options.ExtraConfig) conf.AppendLine(line);
        conf.AppendLine("listener " + Port + " 127.0.0.1");
        conf.AppendLine("set_tcp_nodelay true");
        if (_options.Tls)
        {
            TestPki.ServerFiles cert = _options.Certificate ?? pki.Server;
            conf.AppendLine("cafile " + pki.CaPem);
            conf.AppendLine("certfile " + cert.CertPem);
            conf.AppendLine("keyfile " + cert.KeyPem);
            conf.AppendLine("tls_version tlsv1.2");
        }
        string confPath = Path.Combine(_dir, "mosquitto.conf");
        File.WriteAllText(confPath, conf.ToString());
        File.Copy(confPath, Path.ChangeExtension(_logPath, ".conf"), overwrite: true);
    }

    /// <summary>A device settings document (the firmware's settings.json fields) that reaches this broker as the
    /// device user over TLS, trusting the test CA; <paramref name="edit"/> may change or add fields.</summary>
    public Dictionary<string, object> DeviceSettings(Action<Dictionary<string, object>> edit = null)
    {
        var settings = new Dictionary<string, object>
        {
            ["WifiSsid"] = "ioty-lab",
            ["WifiPassword"] = "wifi-pass-1",
            ["BrokerHost"] = "localhost",
            ["BrokerPort"] = Port,
            ["BrokerUsername"] = DeviceUser,
            ["BrokerPassword"] = DevicePassword,
            ["CaCertificate"] = TestPki.Instance.CaPem,
            ["KeepAliveSeconds"] = 30,
        };
        edit?.Invoke(settings);
        return settings;
    }

    /// <summary>Writes <see cref="DeviceSettings"/> as settings.json into <paramref name="directory"/>; returns its path.</summary>
    public string WriteDeviceSettings(string directory, Action<Dictionary<string, object>> edit = null) =>
        WriteSettingsFile(Path.Combine(directory, "settings.json"), DeviceSettings(edit));

    /// <summary>Writes a settings document as indented JSON, as a learner's settings.json looks.</summary>
    public static string WriteSettingsFile(string path, Dictionary<string, object> settings)
    {
        File.WriteAllText(path, JsonSerializer.Serialize(settings, new JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    /// <summary>Starts mosquitto and returns once its listener accepts connections.</summary>
    public void Start()
    {
        if (IsRunning) throw new InvalidOperationException("broker already running");
        _starts++;
        AppendLog("---- test fixture: starting mosquitto (start #" + _starts + ") on 127.0.0.1:" + Port + " ----");
        var info = new ProcessStartInfo(Executable)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(Path.Combine(_dir, "mosquitto.conf"));
        var process = new Process { StartInfo = info, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => { if (e.Data != null) AppendLog(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data != null) AppendLog(e.Data); };
        process.Exited += (_, _) => Changed.Pulse();
        try
        {
            process.Start();
        }
        catch (Exception e)
        {
            throw new InvalidOperationException("Could not start " + Executable + ": " + e.Message, e);
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;

        // mosquitto logs "Opening ipv4 listen socket on port N" then "mosquitto version ... running".
        bool ready = Changed.WaitUntil(() => process.HasExited || LogContains(" running", _starts), TimeSpan.FromSeconds(10));
        if (!ready || process.HasExited || !Accepts())
        {
            string why = process.HasExited ? "exited with code " + process.ExitCode : "did not accept connections within 10 s";
            KillAndReap();
            throw new InvalidOperationException("Mosquitto failed to start on 127.0.0.1:" + Port + " (" + why + ").\n" + LogText());
        }
    }

    /// <summary>Graceful stop (SIGTERM: mosquitto saves its persistence file), then reap.</summary>
    public void Stop()
    {
        Process p = _process;
        if (p == null) return;
        AppendLog("---- test fixture: SIGTERM ----");
        if (!p.HasExited)
        {
            try { Posix.Signal(p.Id, Posix.SIGTERM); } catch (InvalidOperationException) { }
            if (!p.WaitForExit(5000)) p.Kill();
        }
        Reap(p);
    }

    /// <summary>Crash: SIGKILL, no chance to save or say goodbye; then reap.</summary>
    public void Kill()
    {
        AppendLog("---- test fixture: SIGKILL ----");
        KillAndReap();
    }

    private void KillAndReap()
    {
        Process p = _process;
        if (p == null) return;
        try { if (!p.HasExited) p.Kill(); } catch (InvalidOperationException) { }
        Reap(p);
    }

    private void Reap(Process p)
    {
        p.WaitForExit(); // waitpid, and drains the output pipes
        p.Dispose();
        _process = null;
        Changed.Pulse();
    }

    private bool Accepts()
    {
        using var client = new TcpClient();
        try
        {
            client.Connect(IPAddress.Loopback, Port);
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }

    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    private void AppendLog(string line)
    {
        lock (_logGate)
        {
            _log.Add(line);
            _logArrivalMs.Add(_sinceCreated.ElapsedMilliseconds);
            File.AppendAllText(_logPath, line + "\n");
        }
        Changed.Pulse();
    }

    public string[] LogLines()
    {
        lock (_logGate) return _log.ToArray();
    }

    public string LogText() => "---- mosquitto log (" + _logPath + ") ----\n" + string.Join("\n", Tail(LogLines(), 150));

    /// <summary>When (ms since this fixture was made) each line containing <paramref name="fragment"/> arrived;
    /// mosquitto's own timestamps only have whole seconds.</summary>
    public long[] LogArrivalMs(string fragment)
    {
        lock (_logGate) return _log.Select((l, i) => (l, i)).Where(x => x.l.Contains(fragment, StringComparison.Ordinal)).Select(x => _logArrivalMs[x.i]).ToArray();
    }

    public long ElapsedMs => _sinceCreated.ElapsedMilliseconds;

    public int CountLog(string fragment) => LogLines().Count(l => l.Contains(fragment, StringComparison.Ordinal));

    /// <summary>True if a line with <paramref name="fragment"/> was logged during start number <paramref name="start"/>.</summary>
    private bool LogContains(string fragment, int start)
    {
        string marker = "(start #" + start + ")";
        bool inStart = false;
        foreach (string line in LogLines())
        {
            if (line.Contains(marker, StringComparison.Ordinal)) inStart = true;
            else if (inStart && line.Contains(fragment, StringComparison.Ordinal)) return true;
        }
        return false;
    }

    private static IEnumerable<string> Tail(string[] lines, int count) =>
        lines.Length <= count ? lines : new[] { "... (" + (lines.Length - count) + " earlier lines in the file)" }.Concat(lines.Skip(lines.Length - count));

    private static void RunTool(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        using Process p = Process.Start(info);
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new InvalidOperationException(tool + " failed (" + p.ExitCode + "): " + output);
    }

    public void Dispose()
    {
        KillAndReap();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
