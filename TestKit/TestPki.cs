using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using IotyDevice.Host.Pki;

namespace IotyDevice.TestKit;

/// <summary>Throwaway certificates made at test time (nothing secret is committed): a test CA, a server
/// certificate for localhost/127.0.0.1 signed by it, a second unrelated CA (for "unknown CA"), and a server
/// certificate whose names do not include localhost (for "wrong host name"), and one issued for TLS clients only
/// (for "not a server certificate", which mbedTLS refuses). Made once per test run.</summary>
public sealed class TestPki
{
    public string CaPem { get; private init; }                // the CA the device is told to trust
    public string OtherCaPem { get; private init; }           // a CA that signed nothing the broker uses
    public ServerFiles Server { get; private init; }          // SAN DNS:localhost, IP:127.0.0.1
    public ServerFiles WrongNameServer { get; private init; } // SAN DNS:broker.example.test only
    public ServerFiles ClientUsageServer { get; private init; } // right names, but extended key usage clientAuth only
    public ServerFiles ExpiredServer { get; private init; }     // right names and CA, expired yesterday
    public ServerFiles NotYetValidServer { get; private init; } // right names and CA, valid from tomorrow
    public ServerFiles SelfSignedServer { get; private init; }  // right names, signed by its own key

    public sealed record ServerFiles(string CertPem, string KeyPem);

    private static readonly Lazy<TestPki> Shared = new(() => Create(Artifacts.RunDirectory("pki")));

    public static TestPki Instance => Shared.Value;

    private static TestPki Create(string dir)
    {
        using ECDsa caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 ca = MakeCa("CN=IotyDevice Test CA", caKey);
        using ECDsa otherKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using X509Certificate2 other = MakeCa("CN=Unrelated Test CA", otherKey);

        var pki = new TestPki
        {
            CaPem = Write(dir, "ca.pem", ca.ExportCertificatePem()),
            OtherCaPem = Write(dir, "other-ca.pem", other.ExportCertificatePem()),
            Server = Issue(dir, "server", ca, caKey, new[] { "localhost" }, new[] { IPAddress.Loopback }),
            WrongNameServer = Issue(dir, "wrong-name-server", ca, caKey, new[] { "broker.example.test" }, Array.Empty<IPAddress>()),
            ClientUsageServer = IssueForClientsOnly(dir, "client-usage-server", ca, caKey),
            ExpiredServer = Issue(dir, "expired-server", ca, caKey, new[] { "localhost" }, new[] { IPAddress.Loopback }, -30, -1),
            NotYetValidServer = Issue(dir, "not-yet-valid-server", ca, caKey, new[] { "localhost" }, new[] { IPAddress.Loopback }, 1, 30),
            SelfSignedServer = IssueSelfSigned(dir, "self-signed-server"),
        };
        return pki;
    }

    private static X509Certificate2 MakeCa(string subject, ECDsa key)
    {
        DateTimeOffset now = DateTimeOffset.UtcNow;
        return LocalPki.CreateCa(subject, key, now.AddDays(-1), now.AddDays(30));
    }

    private static ServerFiles Issue(string dir, string name, X509Certificate2 ca, ECDsa caKey, string[] dnsNames, IPAddress[] ips,
        int fromDay = -1, int untilDay = 30)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 cert = LocalPki.IssueServer(ca, caKey, key, dnsNames, ips, now.AddDays(fromDay), now.AddDays(untilDay));
        return WriteServerFiles(dir, name, cert, key);
    }

    /// <summary>Like LocalPki.IssueServer, but its extended key usage says TLS client (1.3.6.1.5.5.7.3.2) only.</summary>
    private static ServerFiles IssueForClientsOnly(string dir, string name, X509Certificate2 ca, ECDsa caKey)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = LocalhostRequest(key);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.2") }, false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 cert = request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey),
            now.AddDays(-1), now.AddDays(30), RandomNumberGenerator.GetBytes(8).Select((b, i) => i == 0 ? (byte)(b & 0x7F) : b).ToArray());
        return WriteServerFiles(dir, name, cert, key);
    }

    /// <summary>A server certificate with the right names that is its own issuer: no CA vouches for it.</summary>
    private static ServerFiles IssueSelfSigned(string dir, string name)
    {
        using ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        CertificateRequest request = LocalhostRequest(key);
        DateTimeOffset now = DateTimeOffset.UtcNow;
        using X509Certificate2 cert = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(30));
        return WriteServerFiles(dir, name, cert, key);
    }

    /// <summary>A request for CN=localhost naming localhost and 127.0.0.1, as the brokers under test listen.</summary>
    private static CertificateRequest LocalhostRequest(ECDsa key)
    {
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        return request;
    }

    /// <summary>The certificate and its key as Mosquitto reads them (the key readable by its group only).</summary>
    private static ServerFiles WriteServerFiles(string dir, string name, X509Certificate2 cert, ECDsa key)
    {
        string keyPath = Write(dir, name + ".key", key.ExportPkcs8PrivateKeyPem());
        Posix.RestrictToMosquittoGroup(keyPath);
        return new ServerFiles(Write(dir, name + ".pem", cert.ExportCertificatePem()), keyPath);
    }

    private static string Write(string dir, string file, string pem)
    {
        string path = Path.Combine(dir, file);
        File.WriteAllText(path, pem + "\n");
        return path;
    }
}
