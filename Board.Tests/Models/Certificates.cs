// Models of nanoframework/System.Net v1.11.54 : nanoFramework.System.Net/X509Certificates/X509Certificate.cs and of
// the CryptographicException newer firmware images throw from the TLS handshake.
namespace System.Security.Cryptography.X509Certificates
{
    /// <summary>X509Certificate.cs: the string constructor (lines 82-101) takes PEM text (on .NET it takes a file
    /// name), adds the NUL terminator mbedTLS needs and parses natively (ParseCertificate), which throws on text
    /// that is no certificate.</summary>
    public class X509Certificate
    {
        public X509Certificate(string certificate)
        {
            if (certificate == null || certificate.IndexOf("-----BEGIN CERTIFICATE-----", StringComparison.Ordinal) < 0)
            {
                throw new ArgumentException();
            }

            Pem = certificate;
        }

        public X509Certificate(byte[] certificate)
            : this(Text.Encoding.UTF8.GetString(certificate ?? new byte[0]))
        {
        }

        /// <summary>The PEM text, for the broker model to check the chain against.</summary>
        internal string Pem { get; }
    }
}

namespace System.Security.Cryptography
{
    /// <summary>The board's CryptographicException: ErrorCode carries what the handshake ended with. Since
    /// nf-interpreter #3460 a failed handshake throws it (src/DeviceInterfaces/System.Net/
    /// sys_net_native_System_Net_Security_SslNative.cpp: SecureConnect lines 172-189, ThrowCryptographicError lines
    /// 612-637 sets _errorCode): the X.509 verify flags when the certificate did not verify
    /// (src/PAL/COM/sockets/ssl/MbedTLS/ssl_connect_internal.cpp lines 56-61: mbedtls_ssl_get_verify_result), the
    /// negative mbedTLS code otherwise. The managed type declares _errorCode and an ErrorCode getter
    /// (System.Security.Cryptography.CryptographicException of nanoFramework's System.Net 2.x line); System.Net 1.11.60
    /// has no such type, so the adapter can only find it by name.</summary>
    public class CryptographicException : Exception
    {
        private readonly int _errorCode;

        public CryptographicException()
        {
        }

        public CryptographicException(int errorCode)
        {
            _errorCode = errorCode;
        }

        public int ErrorCode => _errorCode;
    }
}
