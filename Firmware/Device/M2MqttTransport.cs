using System;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using IotyDevice.Core;
using nanoFramework.M2Mqtt;
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
                throw new MqttTransportException(TransportFault.Certificate, "CaCertificate " + request.CaCertificate + ": " + ExceptionText.Describe(e), e);
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
                throw M2MqttFaults.Translate(e, request);
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
                throw M2MqttFaults.Translate(e, request);
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
    }
}
