using System;
using System.IO;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IotyDevice.Host.Pki;
using System.Threading;

namespace IotyDevice.Simulator
{
    /// <summary>The embedded broker's secrets, made on this PC on first run and kept outside git: a development CA
    /// (the only CA the simulated device trusts), a server certificate for localhost/127.0.0.1/::1 signed by it,
    /// and a random broker password. The CA's private key is thrown away once the server certificate is signed,
    /// so nothing can be issued under it later. Reused while valid; all made again when missing, broken or
    /// about to expire.</summary>
    internal sealed class DevCertificates
    {
        public const string UserName = "learner";

        private static readonly TimeSpan RenewBefore = TimeSpan.FromDays(1);

        public string Directory { get; private set; }
        public string CaPath { get; private set; }
        public string Password { get; private set; }
        public X509Certificate2 ServerCertificate { get; private set; }
        public DateTime ExpiresUtc { get; private set; }

        /// <summary>Why new files were made ("first run", "the old ones expired", ...), or null when reused.</summary>
        public string MadeBecause { get; private set; }

        /// <summary>.simulator/ at the repository root when run from a clone (git-ignored there), else
        /// ~/.iotydevice-simulator.</summary>
        public static string DefaultDirectory()
        {
            for (DirectoryInfo dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "IotyDevice.sln")))
                    return Path.Combine(dir.FullName, ".simulator");
            }
            return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".iotydevice-simulator");
        }

        public static DevCertificates LoadOrCreate(string directory)
        {
            System.IO.Directory.CreateDirectory(directory);
            var files = new DevCertificates { Directory = directory, CaPath = Path.Combine(directory, "ca.pem") };
            // Two simulators started together must not write a mixed set: one makes, the other then reads.
            using (FileStream held = Lock(Path.Combine(directory, ".lock")))
            {
                string problem = files.TryLoad();
                if (problem != null)
                {
                    files.Create();
                    files.MadeBecause = problem;
                    string again = files.TryLoad();
                    if (again != null) throw new InvalidOperationException("the development certificates just made in " + directory + " do not load: " + again);
                }
            }
            return files;
        }

        private string ServerPemPath { get { return Path.Combine(Directory, "server.pem"); } }
        private string ServerKeyPath { get { return Path.Combine(Directory, "server.key"); } }
        private string PasswordPath { get { return Path.Combine(Directory, "broker-password.txt"); } }

        /// <summary>Loads the files; returns why they cannot be used, or null.</summary>
        private string TryLoad()
        {
            if (!File.Exists(CaPath) && !File.Exists(ServerPemPath)) return "first run";
            try
            {
                string password = File.ReadAllText(PasswordPath).Trim();
                if (password.Length == 0) return "the broker password file was empty";
                using (X509Certificate2 ca = X509Certificate2.CreateFromPem(File.ReadAllText(CaPath)))
                using (X509Certificate2 server = X509Certificate2.CreateFromPemFile(ServerPemPath, ServerKeyPath))
                {
                    DateTime now = DateTime.UtcNow;
                    DateTime expires = server.NotAfter.ToUniversalTime() < ca.NotAfter.ToUniversalTime()
                        ? server.NotAfter.ToUniversalTime() : ca.NotAfter.ToUniversalTime();
                    if (expires - RenewBefore < now) return "the old ones expired on " + expires.ToString("yyyy-MM-dd");
                    if (server.NotBefore.ToUniversalTime() > now) return "the old ones are not valid yet (was the clock changed?)";
                    using (var chain = new X509Chain())
                    {
                        chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                        chain.ChainPolicy.CustomTrustStore.Add(ca);
                        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                        if (!chain.Build(server)) return "the server certificate was not signed by ca.pem";
                    }
                    // SslStream on Windows wants a key it can use from a PKCS#12 import, not an ephemeral PEM key.
                    ServerCertificate = X509CertificateLoader.LoadPkcs12(server.Export(X509ContentType.Pkcs12), null);
                    ExpiresUtc = expires;
                    Password = password;
                    return null;
                }
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is CryptographicException || e is ArgumentException)
            {
                return "the old ones could not be read (" + e.Message + ")";
            }
        }

        private void Create()
        {
            DateTimeOffset now = DateTimeOffset.UtcNow;
            using (ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            using (ECDsa serverKey = ECDsa.Create(ECCurve.NamedCurves.nistP256))
            {
                using (X509Certificate2 ca = LocalPki.CreateCa("CN=IotyDevice simulator development CA (this PC only), O=IotyDevice", caKey,
                    now.AddHours(-1), now.AddYears(2)))
                {
                    using (X509Certificate2 server = LocalPki.IssueServer(ca, caKey, serverKey, new[] { "localhost" },
                        new[] { IPAddress.Loopback, IPAddress.IPv6Loopback }, now.AddHours(-1), now.AddYears(1)))
                    {
                        WritePrivate(ServerKeyPath, serverKey.ExportPkcs8PrivateKeyPem() + "\n");
                        File.WriteAllText(ServerPemPath, server.ExportCertificatePem() + "\n");
                        File.WriteAllText(CaPath, ca.ExportCertificatePem() + "\n");
                    }
                }
            }
            // Letters and digits only, so it can be typed into MQTT Explorer or mosquitto_sub.
            WritePrivate(PasswordPath, RandomNumberGenerator.GetString("abcdefghijkmnpqrstuvwxyz23456789", 20) + "\n");
        }

        /// <summary>Created owner-only (0600) by the open itself: created with the usual mode and chmodded after, the
        /// file would be readable by others in between. A file left from an earlier run is removed first, as the
        /// create mode applies only to a new file.</summary>
        private static void WritePrivate(string path, string text)
        {
            File.Delete(path);
            var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows()) options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            using (var writer = new StreamWriter(path, options)) writer.Write(text);
        }

        private static FileStream Lock(string path)
        {
            DateTime giveUp = DateTime.UtcNow.AddSeconds(15);
            while (true)
            {
                try
                {
                    return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
                }
                catch (IOException) when (DateTime.UtcNow < giveUp)
                {
                    Thread.Sleep(50);
                }
            }
        }
    }
}
