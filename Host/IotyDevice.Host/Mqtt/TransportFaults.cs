using System;
using System.IO;
using System.Net.Sockets;
using System.Security.Authentication;
using IotyDevice.Core;
using MQTTnet;
using MQTTnet.Exceptions;
using static IotyDevice.Host.Mqtt.ExceptionChain;

namespace IotyDevice.Host.Mqtt
{
    /// <summary>Turns what MQTTnet/SslStream/sockets throw into the core's TransportFault with a short message
    /// naming the cause; the core puts it in brackets after its own line (which already names host, port and
    /// the likely fix), so it says only what happened. MQTTnet wraps the real exception: the chain is read.</summary>
    internal static class TransportFaults
    {
        public static MqttTransportException Classify(Exception error, CaTrust trust, bool timedOut, MqttConnectRequest r, int timeoutMs)
        {
            if (trust.Failure != null)
                return new MqttTransportException(TransportFault.Certificate, trust.Failure, error);

            SocketException socket = Find<SocketException>(error);
            if (socket != null)
            {
                switch (socket.SocketErrorCode)
                {
                    case SocketError.HostNotFound:
                    case SocketError.NoData:
                    case SocketError.TryAgain:
                        return new MqttTransportException(TransportFault.HostNotFound, "DNS lookup of " + r.Host + " failed", error);
                    case SocketError.ConnectionRefused:
                        return new MqttTransportException(TransportFault.Unreachable, "connection refused: nothing listens on port " + r.Port, error);
                    case SocketError.NetworkUnreachable:
                    case SocketError.HostUnreachable:
                    case SocketError.NetworkDown:
                        return new MqttTransportException(TransportFault.Unreachable, "unreachable (" + socket.SocketErrorCode + ")", error);
                    case SocketError.TimedOut:
                        return new MqttTransportException(TransportFault.Timeout, "TCP connect timed out", error);
                }
            }

            bool cancelled = Find<OperationCanceledException>(error) != null || Find<TimeoutException>(error) != null
                || Find<MqttCommunicationTimedOutException>(error) != null;
            if (timedOut || cancelled)
            {
                return new MqttTransportException(TransportFault.Timeout, trust.CertificateSeen
                    ? "timed out after " + timeoutMs + " ms waiting for the broker's CONNACK"
                    : "timed out after " + timeoutMs + " ms in the TLS handshake: no TLS answer", error);
            }

            // Before the certificate arrived, any failure is the TLS handshake itself: e.g. the port speaks plain
            // MQTT and closed on our ClientHello, or TLS versions/ciphers did not match.
            if (!trust.CertificateSeen && (Find<AuthenticationException>(error) != null || Find<IOException>(error) != null
                || socket != null || Find<MqttCommunicationException>(error) != null))
            {
                return new MqttTransportException(TransportFault.TlsHandshake, "TLS handshake failed: " + Innermost(error).Message, error);
            }
            return new MqttTransportException(TransportFault.Other, Innermost(error).Message, error);
        }
    }
}
