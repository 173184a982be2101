using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Xunit.Sdk;

namespace Simulator.Tests.Infrastructure;

/// <summary>A throwaway Mosquitto for one test, like a learner's local broker: TLS only on 127.0.0.1 (a test CA
/// and a localhost certificate made now), a password file with a device and an app user, no anonymous access.
/// A minimal twin of Broker.Tests' MosquittoBroker (that one is not a shared library); the files live under /tmp
/// because mosquitto started as root drops to user mosquitto, which must still read them.</summary>
public sealed class Mosquitto : IDisposable
{
    public const string DeviceUser = "device";
    public const string DevicePassword = "device-pass-1";
    public const string AppUser = "app";
    public const string AppPassword = "app-pass-1";

    private readonly string _dir;
    private readonly Process _process;
    private readonly StringBuilder _log = new();

    public int Port { get; }
    public string CaPem { get; }
    public string Directory => _dir;

    public Mosquitto()
    {
        string mosquitto = Tool("mosquitto", "/usr/sbin/mosquitto");
        string passwdTool = Tool("mosquitto_passwd", "/usr/bin/mosquitto_passwd");
        string root = Path.Combine(Path.GetTempPath(), "ioty-simulator-tests");
        _dir = Path.Combine(root, Guid.NewGuid().ToString("N")[..10]);
        System.IO.Directory.CreateDirectory(_dir);
        Traversable(root);
        Traversable(_dir);

        (CaPem, string certPem, string keyPem) = MakeCertificates(_dir);
        string passwd = Path.Combine(_dir, "passwd");
        Run(passwdTool, "-c", "-b", passwd, DeviceUser, DevicePassword);
        Run(passwdTool, "-b", passwd, AppUser, AppPassword);
        ReadableByMosquitto(passwd);
        ReadableByMosquitto(keyPem);

        Port = FreePort();
        string conf = Path.Combine(_dir, "mosquitto.conf");
        File.WriteAllText(conf, string.Join("\n",
            "per_listener_settings false",
            "allow_anonymous false",
            "password_file " + passwd,
            "persistence false",
            "log_dest stderr",
            "log_type error", "log_type warning", "log_type notice", "log_type information",
            "connection_messages true",
            "listener " + Port + " 127.0.0.1",
            "cafile " + CaPem,
            "certfile " + certPem,
            "keyfile " + keyPem,
            "tls_version tlsv1.2",
            ""));

        var info = new ProcessStartInfo(mosquitto) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(conf);
        _process = new Process { StartInfo = info };
        _process.OutputDataReceived += (_, e) => { if (e.Data != null) lock (_log) _log.AppendLine(e.Data); };
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_log) _log.AppendLine(e.Data); };
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();

        var clock = Stopwatch.StartNew();
        while (!Accepts())
        {
            if (_process.HasExited || clock.Elapsed > TimeSpan.FromSeconds(10))
            {
                string why = _process.HasExited ? "exited with code " + _process.ExitCode : "did not listen within 10 s";
                Dispose();
                throw new XunitException("Mosquitto did not start on 127.0.0.1:" + Port + " (" + why + ")\n" + Log);
            }
            Thread.Sleep(50);
        }
    }

    public string Log
    {
        get { lock (_log) return "---- mosquitto log ----\n" + _log; }
    }

    /// <summary>A settings.json for the simulator pointing at this broker; <paramref name="edit"/> may change it.</summary>
    public string WriteSettings(string directory, Action<Dictionary<string, object>> edit = null)
    {
        var settings = new Dictionary<string, object>
        {
            ["WifiSsid"] = "ioty-lab",
            ["WifiPassword"] = "wifi-pass-1",
            ["BrokerHost"] = "localhost",
            ["BrokerPort"] = Port,
            ["BrokerUsername"] = DeviceUser,
            ["BrokerPassword"] = DevicePassword,
            ["CaCertificate"] = CaPem,
            ["KeepAliveSeconds"] = 30,
        };
        edit?.Invoke(settings);
        string path = Path.Combine(directory, "settings.json");
        File.WriteAllText(path, System.Text.Json.JsonSerializer.Serialize(settings, new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    private static (string Ca, string Cert, string Key) MakeCertificates(string dir)
    {
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Simulator.Tests CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 ca = caRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(7));

        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        using X509Certificate2 server = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            now.AddDays(-1), now.AddDays(7), RandomNumberGenerator.GetBytes(8));

        string caPath = Path.Combine(dir, "ca.pem");
        string certPath = Path.Combine(dir, "server.pem");
        string keyPath = Path.Combine(dir, "server.key");
        File.WriteAllText(caPath, ca.ExportCertificatePem() + "\n");
        File.WriteAllText(certPath, server.ExportCertificatePem() + "\n");
        File.WriteAllText(keyPath, key.ExportPkcs8PrivateKeyPem() + "\n");
        return (caPath, certPath, keyPath);
    }

    private static string Tool(string name, string usual)
    {
        if (File.Exists(usual)) return usual;
        foreach (string dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator))
        {
            string candidate = Path.Combine(dir, name);
            if (File.Exists(candidate)) return candidate;
        }
        throw new XunitException(name + " is not installed. Install it with: apt-get install -y mosquitto mosquitto-clients (scripts/test.sh does)");
    }

    private static void Traversable(string dir)
    {
        if (OperatingSystem.IsWindows()) return; // mosquitto tests run on Linux; this keeps the analyzer honest
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    /// <summary>0640 and, when we are root (mosquitto then runs as user mosquitto), group mosquitto.</summary>
    private static void ReadableByMosquitto(string file)
    {
        if (OperatingSystem.IsWindows()) return;
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        if (Environment.UserName == "root") Run("chgrp", "mosquitto", file);
    }

    private static void Run(string tool, params string[] args)
    {
        var info = new ProcessStartInfo(tool) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string a in args) info.ArgumentList.Add(a);
        using Process p = Process.Start(info);
        string output = p.StandardOutput.ReadToEnd() + p.StandardError.ReadToEnd();
        p.WaitForExit();
        if (p.ExitCode != 0) throw new XunitException(tool + " " + string.Join(" ", args) + " failed (" + p.ExitCode + "): " + output);
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        int port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
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

    public void Dispose()
    {
        try
        {
            if (_process != null && !_process.HasExited) _process.Kill();
            _process?.WaitForExit(5000);
        }
        catch (InvalidOperationException)
        {
            // Never started or already reaped.
        }
        _process?.Dispose();
        try { System.IO.Directory.Delete(_dir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
