using System;
using System.Net.Sockets;
using System.Reflection;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IotyDevice.Core;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Exceptions;
using nanoFramework.M2Mqtt.Messages;

namespace IotyDevice.Firmware
{
    /// <summary>MQTT 3.1.1 over TLS through nanoFramework.M2Mqtt. Translation only: which topics, when to
    /// reconnect and what to tell the learner are the core's decisions.</summary>
    /// <remarks>
    /// One MqttClient per connection attempt. Upstream (5.1.x) does support calling Connect again on the same
    /// instance: MqttNetworkChannel.Connect opens a new socket and SslStream each time. But the broker's address is
    /// resolved only once, in the MqttClient constructor (MqttNetworkChannel's constructor calls
    /// Dns.GetHostEntry), so a reused instance would keep dialling the first address forever, while a cloud
    /// broker's address (HiveMQ Cloud sits behind load balancers) can change. A fresh instance per attempt resolves
    /// the name again, and its constructor only runs once the WiFi is up because the core only connects then.
    /// </remarks>
    internal sealed class M2MqttTransport : IMqttTransport
    {
        // From mbedtls/x509.h: the code the TLS layer reports when the broker's certificate does not verify
        // (surfaced by older nanoFramework images as a negative SocketException error code).
        private const int MbedTlsCertVerifyFailed = -0x2700;

        private readonly object _sync = new object();
        private MqttClient _client;
        private IMqttListener _listener;
        private bool _sessionPresent;

        public void SetListener(IMqttListener listener)
        {
            _listener = listener;
        }

        public ConnectResult Connect(MqttConnectRequest request)
        {
            Close();

            X509Certificate ca;
            try
            {
                ca = CaCertificates.Resolve(request.CaCertificate);
            }
            catch (Exception e)
            {
                throw new MqttTransportException(TransportFault.Certificate, "CaCertificate " + request.CaCertificate + ": " + Describe(e), e);
            }

            MqttClient client;
            try
            {
                // Resolves DNS at once. secure: true with TLS 1.2 (None, 1.2 and 1.3 are the values the platform
                // takes; 1.2 is what brokers and the ESP32's mbedTLS agree on). Server certificate validation stays
                // at its default, on: it is never turned off here.
                client = new MqttClient(request.Host, request.Port, true, ca, null, MqttSslProtocols.TLSv1_2);
            }
            catch (Exception e)
            {
                throw Translate(e, request);
            }

            client.MqttMsgPublishReceived += OnPublishReceived;
            client.ConnectionClosed += OnConnectionClosed;
            client.ConnectionOpened += OnConnectionOpened;
            lock (_sync)
            {
                _client = client;
                _sessionPresent = false;
            }

            MqttReasonCode code;
            try
            {
                bool will = request.WillTopic != null;
                code = client.Connect(
                    request.ClientId,
                    request.Username,
                    request.Password,
                    will && request.WillRetain,
                    will ? ToQos(request.WillQos) : MqttQoSLevel.AtMostOnce,
                    will,
                    will ? request.WillTopic : null,
                    will ? Utf8Text(request.WillPayload) : null,
                    request.CleanSession,
                    (ushort)request.KeepAliveSeconds);
            }
            catch (Exception e)
            {
                Close();
                throw Translate(e, request);
            }

            // MQTT 3.1.1 return codes 1..5 arrive cast into the v5 enum: the number is what counts.
            int result = (int)code;
            if (result != ConnectResult.Accepted)
            {
                // A refusal still leaves the receive thread and the socket open.
                Close();
                return new ConnectResult(result, false);
            }

            bool sessionPresent;
            lock (_sync)
            {
                sessionPresent = _sessionPresent;
            }

            return new ConnectResult(result, sessionPresent);
        }

        public void Subscribe(string topic, int qos)
        {
            Current().Subscribe(new string[] { topic }, new MqttQoSLevel[] { ToQos(qos) });
        }

        public void Publish(string topic, byte[] payload, int qos, bool retain)
        {
            // contentType and userProperties are MQTT 5 only; this is a 3.1.1 connection.
            Current().Publish(topic, payload, null, null, ToQos(qos), retain);
        }

        public void Close()
        {
            MqttClient client;
            lock (_sync)
            {
                client = _client;
                _client = null;
            }

            if (client == null)
            {
                return;
            }

            // Detach first: a connection we close on purpose is not a lost one, and an old client's late
            // events must not reach the listener after a new client is up.
            try
            {
                client.MqttMsgPublishReceived -= OnPublishReceived;
                client.ConnectionClosed -= OnConnectionClosed;
                client.ConnectionOpened -= OnConnectionOpened;
                client.Close();
            }
            catch (Exception)
            {
                // Close is best effort by contract (upstream Close swallows its own errors too).
            }
        }

        private MqttClient Current()
        {
            MqttClient client;
            lock (_sync)
            {
                client = _client;
            }

            if (client == null)
            {
                throw new InvalidOperationException("MQTT is not connected");
            }

            return client;
        }

        // The three handlers run on M2Mqtt's own threads.

        private void OnPublishReceived(object sender, MqttMsgPublishEventArgs e)
        {
            IMqttListener listener = _listener;
            if (listener != null)
            {
                listener.OnMessage(e.Topic, e.Message, (int)e.QosLevel);
            }
        }

        private void OnConnectionClosed(object sender, EventArgs e)
        {
            IMqttListener listener = _listener;
            if (listener != null)
            {
                listener.OnConnectionClosed();
            }
        }

        private void OnConnectionOpened(object sender, ConnectionOpenedEventArgs e)
        {
            // Connect returns only the return code; the CONNACK's session-present flag comes with this event,
            // raised on the receive thread before Connect returns.
            lock (_sync)
            {
                _sessionPresent = e.Message != null && e.Message.SessionPresent;
            }
        }

        private static MqttQoSLevel ToQos(int qos)
        {
            switch (qos)
            {
                case 1:
                    return MqttQoSLevel.AtLeastOnce;
                case 2:
                    return MqttQoSLevel.ExactlyOnce;
                default:
                    return MqttQoSLevel.AtMostOnce;
            }
        }

        private static string Utf8Text(byte[] bytes)
        {
            // M2Mqtt takes the will message as a string; nanoFramework has only the 3-argument GetString.
            return bytes == null ? "" : Encoding.UTF8.GetString(bytes, 0, bytes.Length);
        }

        /// <summary>Names the cause in the core's terms. Upstream throws from three places: the constructor (DNS:
        /// SocketException, or a plain Exception "No address found"), the channel's connect (TCP, TLS and certificate
        /// errors, wrapped in MqttConnectionException), and the wait for CONNACK (MqttCommunicationException after
        /// 30 s, or wrapping what the receive thread caught).</summary>
        private static MqttTransportException Translate(Exception e, MqttConnectRequest request)
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

                // Newer System.Net versions throw CryptographicException from the handshake instead: ErrorCode is
                // the MBEDTLS_X509_BADCERT_* bitmask (positive) when the certificate failed, or the raw mbedTLS
                // code (negative) otherwise. Matched by name and read by reflection so this builds against
                // System.Net versions that do not have the type.
                if (TypeName(cause) == "System.Security.Cryptography.CryptographicException")
                {
                    // (A few small positive codes are SslError context-setup failures instead; they are rare
                    // enough to share the certificate wording, and the code is shown.)
                    int tlsCode = ErrorCodeOf(cause);
                    return tlsCode > 0
                        ? new MqttTransportException(TransportFault.Certificate, "TLS certificate check failed (code 0x" + tlsCode.ToString("X") + ")", e)
                        : new MqttTransportException(TransportFault.TlsHandshake, "TLS error -0x" + (-tlsCode).ToString("X4"), e);
                }

                // E.g. OutOfMemoryException: TLS needs two ~16 KB buffers, tight on boards without PSRAM.
                return new MqttTransportException(TransportFault.Other, Describe(cause), e);
            }

            if (e is MqttCommunicationException)
            {
                // No CONNACK in time: typically TLS to a port that speaks plain MQTT, or a broker that never answers.
                return new MqttTransportException(TransportFault.Timeout, "no answer to CONNECT from " + where, e);
            }

            if (e is SocketException)
            {
                // Only the constructor lets a bare SocketException out: the name lookup failed.
                return new MqttTransportException(TransportFault.HostNotFound, "name lookup failed (socket error " + ((SocketException)e).ErrorCode.ToString() + ")", e);
            }

            if (TypeName(e) == "System.Exception" && e.Message == "No address found for the remote host name")
            {
                return new MqttTransportException(TransportFault.HostNotFound, "no address for " + request.Host, e);
            }

            return new MqttTransportException(TransportFault.Other, Describe(e), e);
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

        private static int ErrorCodeOf(Exception e)
        {
            try
            {
                MethodInfo getter = e.GetType().GetMethod("get_ErrorCode");
                return getter == null ? 0 : (int)getter.Invoke(e, null);
            }
            catch (Exception)
            {
                return 0;
            }
        }

        private static string TypeName(Exception e)
        {
            return e.GetType().FullName;
        }

        private static string Describe(Exception e)
        {
            // nanoFramework exceptions often carry no message; the type name still says something.
            return e.Message != null && e.Message.Length > 0 ? e.Message : TypeName(e);
        }
    }
}
