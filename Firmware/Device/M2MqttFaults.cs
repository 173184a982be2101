using System;
using System.Net.Sockets;
using System.Reflection;
using IotyDevice.Core;
using nanoFramework.M2Mqtt.Exceptions;

namespace IotyDevice.Firmware
{
    /// <summary>Names the cause of a failed connect in the core's terms (TransportFault and a short text; the core
    /// adds host, port and the fix).</summary>
    /// <remarks>
    /// Upstream throws from three places (nanoframework/nanoFramework.m2mqtt : M2Mqtt/MqttClient.cs,
    /// M2Mqtt/Net/MqttNetworkChannel.cs): the MqttClient constructor (DNS: SocketException, or a plain Exception
    /// "No address found for the remote host name"), the channel's Connect (TCP, TLS and certificate errors, wrapped
    /// in MqttConnectionException), and the wait for CONNACK (MqttCommunicationException: after
    /// MqttSettings.DefaultTimeout (30 s) without an answer, or at once when the receive thread read the broker's
    /// close (0 bytes) or a socket error, which it records as the exception Connect throws). Before anything is
    /// sent, the CONNECT message itself can refuse its arguments (MqttClientException, e.g. WillWrong for an empty
    /// will topic or message: M2Mqtt/Messages/MqttMsgConnect.cs).
    /// With System.Net 1.11.60 a failed TLS handshake is a SocketException whose ErrorCode is mbedTLS's negative code:
    /// SslStream.Authenticate lets SslNative.SecureConnect's exception through (nanoframework/System.Net :
    /// nanoFramework.System.Net/Security/SslStream.cs), and the firmware throws SocketException carrying what
    /// mbedtls_ssl_handshake returned (nanoframework/nf-interpreter : src/PAL/COM/sockets/ssl/MbedTLS/ssl_connect_internal.cpp,
    /// src/DeviceInterfaces/System.Net/sys_net_native_System_Net_Security_SslNative.cpp, ThrowOnError) on images built
    /// before nf-interpreter #3460 (2026-07-10). Since then SecureConnect throws
    /// System.Security.Cryptography.CryptographicException (ThrowCryptographicError), whose ErrorCode is the X.509
    /// verify flags when the certificate did not verify (ssl_connect_internal.cpp: mbedtls_ssl_get_verify_result) and
    /// mbedTLS's negative code for any other handshake failure. Neither System.Net 1.11.60 nor mscorlib 1.17.11
    /// declares that type, so it is recognised by name and its ErrorCode read through reflection.
    /// </remarks>
    internal static class M2MqttFaults
    {
        // From mbedtls/x509.h: the handshake's result when the broker's certificate does not verify against the CA.
        private const int MbedTlsCertVerifyFailed = -0x2700;

        // What upstream waits for a CONNACK (MqttSettings.DefaultTimeout, 30 s); a failure well before that was not
        // a timeout.
        private const long ConnackTimeoutMs = 30000;

        private const string CryptographicExceptionName = "System.Security.Cryptography.CryptographicException";

        /// <param name="connackCode">The CONNACK return code the receive thread saw, or -1 for none.</param>
        /// <param name="elapsedMs">How long Connect ran before it threw.</param>
        public static MqttTransportException Translate(Exception e, MqttConnectRequest request, int connackCode, long elapsedMs)
        {
            string where = request.Host + ":" + request.Port.ToString();
            Exception cause = e.InnerException != null ? e.InnerException : e;

            if (e is MqttConnectionException)
            {
                if (cause is SocketException)
                {
                    int code = ((SocketException)cause).ErrorCode;
                    if (code == MbedTlsCertVerifyFailed)
                    {
                        return new MqttTransportException(TransportFault.Certificate, "certificate verification failed (TLS error -0x2700)", e);
                    }

                    if (code < 0)
                    {
                        // Negative codes are mbedTLS's: the TCP connection stood, the handshake did not.
                        return new MqttTransportException(TransportFault.TlsHandshake, "TLS error -0x" + (-code).ToString("X4"), e);
                    }

                    return FromSocketError(code, where, e);
                }

                if (cause.GetType().FullName == CryptographicExceptionName)
                {
                    return FromCryptographicError(CryptographicErrorCode(cause), e);
                }

                // E.g. OutOfMemoryException: TLS needs two ~16 KB buffers, tight on boards without PSRAM.
                return new MqttTransportException(TransportFault.Other, ExceptionText.Describe(cause), e);
            }

            if (e is MqttCommunicationException)
            {
                if (connackCode == -1 && elapsedMs < ConnackTimeoutMs - 1000)
                {
                    // The receive thread saw the connection end before any CONNACK.
                    return new MqttTransportException(TransportFault.ClosedBeforeConnack, "closed after " + (elapsedMs / 1000).ToString() + " s without a CONNACK", e);
                }

                // No CONNACK in time: typically TLS to a port that speaks plain MQTT, or a broker that never answers.
                return new MqttTransportException(TransportFault.Timeout, "no answer to CONNECT from " + where, e);
            }

            if (e is MqttClientException)
            {
                // Enum.ToString prints the number on nanoFramework: name the one a learner's settings can cause.
                MqttClientErrorCode code = ((MqttClientException)e).ErrorCode;
                return new MqttTransportException(TransportFault.Rejected, code == MqttClientErrorCode.WillWrong
                    ? "WillWrong: the last will needs a topic and a message"
                    : "MqttClientException code " + ((int)code).ToString(), e);
            }

            if (e is SocketException)
            {
                // Only the constructor lets a bare SocketException out: the name lookup failed.
                return new MqttTransportException(TransportFault.HostNotFound, "name lookup failed (socket error " + ((SocketException)e).ErrorCode.ToString() + ")", e);
            }

            // A plain Exception, thrown by MqttNetworkChannel's constructor when DNS gave no address.
            if (e.GetType().FullName == "System.Exception" && e.Message == "No address found for the remote host name")
            {
                return new MqttTransportException(TransportFault.HostNotFound, "no address for " + request.Host, e);
            }

            return new MqttTransportException(TransportFault.Other, ExceptionText.Describe(e), e);
        }

        private static MqttTransportException FromCryptographicError(int code, Exception e)
        {
            if (code < 0)
            {
                return new MqttTransportException(TransportFault.TlsHandshake, "TLS error -0x" + (-code).ToString("X4"), e);
            }

            // The X.509 verify flags (mbedtls/x509.h MBEDTLS_X509_BADCERT_*): name the ones a learner can act on.
            string why = (code & 0x08) != 0 ? "not trusted by the CA (CaCertificate)"
                : (code & 0x04) != 0 ? "issued for another host name (BrokerHost)"
                : (code & 0x01) != 0 ? "expired (or the board's clock is wrong)"
                : (code & 0x200) != 0 ? "not valid yet (or the board's clock is wrong)"
                : "flags 0x" + code.ToString("X4");
            return new MqttTransportException(TransportFault.Certificate, "certificate verification failed: " + why, e);
        }

        /// <summary>CryptographicException.ErrorCode, or 0 when the image's type has none.</summary>
        private static int CryptographicErrorCode(Exception e)
        {
            MethodInfo getter = e.GetType().GetMethod("get_ErrorCode");
            object code = getter == null ? null : getter.Invoke(e, null);
            return code is int ? (int)code : 0;
        }

        private static MqttTransportException FromSocketError(int code, string where, Exception e)
        {
            // System.Net.Sockets.SocketError values (WinSock numbering, as nanoFramework uses).
            switch (code)
            {
                case 10060: // TimedOut
                    return new MqttTransportException(TransportFault.Timeout, "TCP connect to " + where + " timed out", e);
                case 11001: // HostNotFound
                case 11002: // TryAgain
                    return new MqttTransportException(TransportFault.HostNotFound, "name lookup failed (socket error " + code.ToString() + ")", e);
                case 10061: // ConnectionRefused
                case 10065: // HostUnreachable
                case 10051: // NetworkUnreachable
                case 10050: // NetworkDown
                    return new MqttTransportException(TransportFault.Unreachable, "socket error " + code.ToString(), e);
                default:
                    return new MqttTransportException(TransportFault.Other, "socket error " + code.ToString(), e);
            }
        }
    }
}
