using System;
using System.IO;
using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IotyDevice.Core;
using MQTTnet;

namespace IotyDevice.Host.Mqtt
{
    /// <summary>Decides whether the broker's certificate is acceptable, the way the device's mbedTLS does with
    /// the one CA it is given: the chain must end at exactly the configured CA (not at whatever the PC's
    /// store trusts), and the certificate must name the host we dialled. Records why it refused, because
    /// SslStream only reports "rejected by the callback" and the learner needs the reason. Public only for
    /// <see cref="LoadRoots"/>, so other MQTTnet clients on the PC (the simulator's App Builder peer) trust
    /// exactly what the device is told to trust.</summary>
    public sealed class CaTrust
    {
        /// <summary>id-kp-serverAuth. mbedTLS (mbedtls_ssl_check_cert_usage) refuses a server certificate whose
        /// extended key usage is present without it; the chain below asks the same.</summary>
        private static readonly Oid ServerAuth = new Oid("1.3.6.1.5.5.7.3.1");

        private readonly X509Certificate2Collection _roots; // null = trust the OS store (DeviceCaStore)
        private readonly string _caName;
        private readonly string _host;

        private CaTrust(X509Certificate2Collection roots, string caName, string host)
        {
            _roots = roots;
            _caName = caName;
            _host = host;
        }

        /// <summary>Set when the certificate was refused; read after the handshake failed.</summary>
        internal volatile string Failure;

        /// <summary>True once the broker's certificate was seen: the TLS handshake got that far.</summary>
        internal volatile bool CertificateSeen;

        /// <summary>The trust for a connection to <paramref name="host"/> with the CA named by
        /// MqttConnectRequest.CaCertificate; throws as <see cref="LoadRoots"/> does.</summary>
        internal static CaTrust For(string caCertificate, string host)
        {
            X509Certificate2Collection roots = LoadRoots(caCertificate);
            return new CaTrust(roots, roots == null ? "the OS certificate store" : Path.GetFileName(PathOf(caCertificate)), host);
        }

        /// <summary>The CA certificates the CaCertificate setting names (the built-in ISRG Root X1 when empty), or
        /// null for "device-store", where the PC's OS store stands in for the device's CA bundle. Throws a
        /// Certificate fault naming the file when it is missing or holds no certificate, so a typo in
        /// settings.json reads as such.</summary>
        public static X509Certificate2Collection LoadRoots(string caCertificate)
        {
            if (caCertificate == DeviceSettings.DeviceCaStore) return null;
            string path = PathOf(caCertificate);
            var roots = new X509Certificate2Collection();
            try
            {
                roots.ImportFromPem(ReadBounded(path));
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException || e is CryptographicException)
            {
                throw new MqttTransportException(TransportFault.Certificate, "CA certificate file " + path + " not loaded: " + e.Message, e);
            }
            if (roots.Count == 0)
                throw new MqttTransportException(TransportFault.Certificate, "CA certificate file " + path + " holds no PEM certificate", null);
            return roots;
        }

        /// <summary>The file's text, looked at before it is read, as on the board. A FIFO, /dev/zero or another
        /// device reports size 0 (a FIFO would block the open until a writer comes, /dev/zero never ends), as does
        /// an empty file, which holds no CA either: refused unopened. The read stops one byte past the limit, so a
        /// file that grows after the size check is refused too.</summary>
        private static string ReadBounded(string path)
        {
            long bytes = new FileInfo(path).Length;
            if (bytes == 0)
                throw new MqttTransportException(TransportFault.Certificate, "CA certificate file " + path + " is not a regular file or is empty: point CaCertificate at your broker's CA (PEM) file", null);
            if (bytes > CaCertificateFile.MaxBytes)
                throw new MqttTransportException(TransportFault.Certificate, CaCertificateFile.TooLarge(path, bytes), null);
            var buffer = new byte[CaCertificateFile.MaxBytes + 1];
            int read = 0;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                for (int n; read < buffer.Length && (n = file.Read(buffer, read, buffer.Length - read)) > 0; ) read += n;
            }
            if (read > CaCertificateFile.MaxBytes)
                throw new MqttTransportException(TransportFault.Certificate, CaCertificateFile.TooLarge(path, read), null);
            return Encoding.UTF8.GetString(buffer, 0, read);
        }

        private static string PathOf(string caCertificate)
        {
            return string.IsNullOrEmpty(caCertificate) || caCertificate == DeviceSettings.BuiltInIsrgRootX1
                ? FindBuiltInIsrgRootX1()
                : caCertificate;
        }

        /// <summary>The firmware embeds certs/isrg-root-x1.pem; on the PC we find the same file in the repository
        /// by walking up from the running program, so there is one copy of it.</summary>
        private static string FindBuiltInIsrgRootX1()
        {
            string relative = Path.Combine("certs", "isrg-root-x1.pem");
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, relative);
                if (File.Exists(candidate)) return candidate;
            }
            return relative; // fails to load with a message naming certs/isrg-root-x1.pem
        }

        /// <summary>MQTTnet's certificate validation handler.</summary>
        internal bool Validate(MqttClientCertificateValidationEventArgs e)
        {
            CertificateSeen = true;
            if (e.Certificate == null)
                return Refuse("the broker sent no certificate");
            // SslStream compares the certificate's names with the TargetHost we set (the settings' BrokerHost).
            if ((e.SslPolicyErrors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
                return Refuse("certificate is not issued for host name " + _host + " (name mismatch)");
            if (_roots == null)
                return e.SslPolicyErrors == SslPolicyErrors.None
                    || Refuse("certificate is not trusted by " + _caName + " (" + Describe(e.Chain) + ")");

            // SslStream's own chain used the OS store; build ours against the configured CA only.
            using (var chain = new X509Chain())
            {
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.AddRange(_roots);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck; // the device does not check revocation either
                chain.ChainPolicy.DisableCertificateDownloads = true;
                chain.ChainPolicy.ApplicationPolicy.Add(ServerAuth);
                if (e.Chain != null)
                {
                    foreach (X509ChainElement element in e.Chain.ChainElements) chain.ChainPolicy.ExtraStore.Add(element.Certificate);
                    chain.ChainPolicy.ExtraStore.AddRange(e.Chain.ChainPolicy.ExtraStore);
                }
                var leaf = e.Certificate as X509Certificate2 ?? X509CertificateLoader.LoadCertificate(e.Certificate.GetRawCertData());
                if (chain.Build(leaf)) return true;
                foreach (X509ChainStatus status in chain.ChainStatus)
                {
                    if (status.Status == X509ChainStatusFlags.NotValidForUsage)
                        return Refuse("certificate is not issued for TLS servers (its extended key usage lacks serverAuth); the broker needs a server certificate");
                }
                return Refuse("certificate does not chain to the CA in " + _caName + " (" + Describe(chain) + ")");
            }
        }

        private bool Refuse(string why)
        {
            Failure = why;
            return false;
        }

        private static string Describe(X509Chain chain)
        {
            if (chain == null) return "no chain";
            var text = new StringBuilder();
            foreach (X509ChainStatus status in chain.ChainStatus)
            {
                if (text.Length > 0) text.Append(", ");
                text.Append(status.Status);
            }
            return text.Length == 0 ? "untrusted" : text.ToString();
        }
    }
}
