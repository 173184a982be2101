using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace IotyDevice.Host.Pki
{
    /// <summary>Makes a private CA and a TLS server certificate signed by it, for brokers on this machine only (the
    /// simulator's development broker, the tests' Mosquitto). Keys are P-256; the server certificate is for
    /// server authentication with the names given as subject alternative names, which is what clients check.</summary>
    public static class LocalPki
    {
        public static X509Certificate2 CreateCa(string subject, ECDsa key, DateTimeOffset notBefore, DateTimeOffset notAfter)
        {
            var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
            // pathLen 0: this CA signs server certificates only, never another CA.
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
            request.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(request.PublicKey, false));
            return request.CreateSelfSigned(notBefore, notAfter);
        }

        public static X509Certificate2 IssueServer(X509Certificate2 ca, ECDsa caKey, ECDsa serverKey, string[] dnsNames,
            IPAddress[] addresses, DateTimeOffset notBefore, DateTimeOffset notAfter)
        {
            var request = new CertificateRequest("CN=" + (dnsNames.Length > 0 ? dnsNames[0] : "server"), serverKey, HashAlgorithmName.SHA256);
            var names = new SubjectAlternativeNameBuilder();
            foreach (string dns in dnsNames) names.AddDnsName(dns);
            foreach (IPAddress address in addresses) names.AddIpAddress(address);
            request.CertificateExtensions.Add(names.Build());
            request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
            request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature, true));
            request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension(new OidCollection { new Oid("1.3.6.1.5.5.7.3.1") }, false));
            request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
            byte[] serial = RandomNumberGenerator.GetBytes(12);
            serial[0] &= 0x7F; // a positive serial number, as RFC 5280 asks
            return request.Create(ca.SubjectName, X509SignatureGenerator.CreateForECDsa(caKey), notBefore, notAfter, serial);
        }
    }
}
