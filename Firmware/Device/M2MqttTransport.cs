using System;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using IotyDevice.Core;
using nanoFramework.M2Mqtt;
using nanoFramework.M2Mqtt.Messages;

namespace IotyDevice.Firmware
{
    /// <summary>MQTT 5 over TLS through nanoFramework.M2Mqtt. Translation only: which topics, when to
    /// reconnect and what to tell the learner are the core's decisions.</summary>
    /// <remarks>
    /// One MqttClient per connection attempt. Upstream (5.1.x) does support calling Connect again on the same
    /// instance: MqttNetworkChannel.Connect opens a new socket and SslStream each time. But the broker's address is
    /// resolved only once, in the MqttClient constructor (MqttNetworkChannel's constructor calls
    /// Dns.GetHostEntry), so a reused instance would keep dialling the first address forever, while a cloud
    /// broker's address (HiveMQ Cloud sits behind load balancers) can change. A fresh instance per attempt resolves
    /// the name again, and its constructor only runs once the WiFi is up because the core only connects then.
    /// Each client is wrapped in a <see cref="Link"/> carrying its connection number, so every event says which
    /// connection it comes from (nanoframework/nanoFramework.m2mqtt : M2Mqtt/MqttClient.cs raises them on its own
    /// threads, and an old client's event can race its Close).
    /// After a drop, upstream Publish/Subscribe on that client still enqueue and return an id but never send:
    /// both check IsConnected first and throw MqttNotConnectedException, so the core keeps the work.
    /// </remarks>
    internal sealed class M2MqttTransport : IMqttTransport
    {
        private readonly object _sync = new object();
        private Link _current;
        private IMqttListener _listener;
        private int _connections;

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
                throw M2MqttFaults.Translate(e, request, Link.NoConnack, 0);
            }

            // MQTT 5, because only version 5 carries a Maximum Packet Size (MqttClient.Connect copies these into
            // the CONNECT only for Version_5): M2Mqtt allocates a received packet at ~2x its size and an
            // out-of-memory there desynchronises the stream, so the broker must withhold what the board cannot hold.
            // A v5 session that is not clean lasts only as long as its Session Expiry Interval (0 ends it at once).
            client.ProtocolVersion = MqttProtocolVersion.Version_5;
            client.MaximumPacketSize = (uint)request.MaxPacketBytes;
            client.SessionExpiryInterval = request.CleanSession ? 0u : (uint)request.SessionExpirySeconds;

            Link link = new Link(this, client, Interlocked.Increment(ref _connections));
            lock (_sync)
            {
                _current = link;
            }

            MqttReasonCode code;
            long startedMs = Environment.TickCount64;
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
                // The receive thread signals a refusing CONNACK and may then record the broker's close as the
                // exception Connect throws: the refusal (e.g. a wrong password) is the news, not a timeout.
                int seen = link.ConnackCode;
                if (seen != Link.NoConnack && seen != ConnectResult.Accepted)
                {
                    return new ConnectResult(seen, false, link.Number);
                }

                throw M2MqttFaults.Translate(e, request, seen, Environment.TickCount64 - startedMs);
            }

            // An MQTT 5 reason code (0x86 bad user name or password, ...); the core names them (FailureText).
            int result = (int)code;
            if (result != ConnectResult.Accepted)
            {
                // A refusal still leaves the receive thread and the socket open.
                Close();
            }

            return new ConnectResult(result, result == ConnectResult.Accepted && link.SessionPresent, link.Number);
        }

        public bool IsConnected
        {
            get
            {
                Link link = Current();
                return link != null && link.Client.IsConnected;
            }
        }

        public int Subscribe(string topic, int qos)
        {
            return Open("the subscription to " + topic).Subscribe(new string[] { topic }, new MqttQoSLevel[] { ToQos(qos) });
        }

        public int Publish(string topic, byte[] payload, int qos, bool retain)
        {
            // M2Mqtt keeps the array and serialises it later, on its inflight thread (MqttMsgPublish keeps Message; its
            // GetBytes copies it when the packet is sent, and again on each retry): a caller that reuses its buffer
            // (the monitor mirror does) would change what goes out. The library gets an array nobody else holds.
            byte[] owned = new byte[payload.Length];
            Array.Copy(payload, owned, payload.Length);
            // No content type, no user properties (MQTT 5 options the lesson does not use). A QoS 0 publish gets an id
            // from upstream too, but no MqttMsgPublished ever reports it: the port's 0 says "never confirmed".
            ushort id = Open("the publish to " + topic).Publish(topic, owned, null, null, ToQos(qos), retain);
            return qos == 0 ? 0 : id;
        }

        public void Close()
        {
            Link link;
            lock (_sync)
            {
                link = _current;
                _current = null;
            }

            if (link != null)
            {
                link.Close();
            }
        }

        private Link Current()
        {
            lock (_sync)
            {
                return _current;
            }
        }

        private MqttClient Open(string what)
        {
            Link link = Current();
            if (link == null || !link.Client.IsConnected)
            {
                throw new MqttNotConnectedException("MQTT is not connected; " + what + " was not sent");
            }

            return link.Client;
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

        /// <summary>One client and its connection number. Its handlers run on M2Mqtt's threads and pass events on
        /// only while it is the transport's current link; Close detaches them first, so a connection closed on
        /// purpose is not reported as lost.</summary>
        private sealed class Link
        {
            public const int NoConnack = -1;

            public readonly MqttClient Client;
            public readonly int Number;
            private readonly M2MqttTransport _owner;
            private int _connackCode = NoConnack;
            private int _sessionPresent;

            public Link(M2MqttTransport owner, MqttClient client, int number)
            {
                _owner = owner;
                Client = client;
                Number = number;
                client.MqttMsgPublishReceived += OnPublishReceived;
                client.MqttMsgPublished += OnPublished;
                client.MqttMsgSubscribed += OnSubscribed;
                client.ConnectionClosed += OnConnectionClosed;
                client.ConnectionOpened += OnConnectionOpened;
            }

            /// <summary>The CONNACK return code the receive thread saw, or <see cref="NoConnack"/>.</summary>
            public int ConnackCode { get { return Interlocked.CompareExchange(ref _connackCode, 0, 0); } }

            public bool SessionPresent { get { return Interlocked.CompareExchange(ref _sessionPresent, 0, 0) != 0; } }

            public void Close()
            {
                try
                {
                    Client.MqttMsgPublishReceived -= OnPublishReceived;
                    Client.MqttMsgPublished -= OnPublished;
                    Client.MqttMsgSubscribed -= OnSubscribed;
                    Client.ConnectionClosed -= OnConnectionClosed;
                    Client.ConnectionOpened -= OnConnectionOpened;
                    Client.Close();
                }
                catch (Exception)
                {
                    // Close is best effort by contract (upstream Close swallows its own errors too).
                }
            }

            private IMqttListener Listener()
            {
                return _owner.Current() == this ? _owner._listener : null;
            }

            // Each handler below catches everything: M2Mqtt's dispatch loop turns an exception from a handler into the
            // end of the connection (DispatchEventThread's catch calls OnConnectionClosing), while the host adapter
            // traces it and carries on. The board does what the host does: one line, and the connection stays.
            private static void Report(Exception e)
            {
                Console.WriteLine("MQTT: listener failed: " + ExceptionText.Describe(e));
            }

            private void OnPublishReceived(object sender, MqttMsgPublishEventArgs e)
            {
                try
                {
                    IMqttListener listener = Listener();
                    if (listener != null)
                    {
                        listener.OnMessage(e.Topic, e.Message, (int)e.QosLevel);
                    }
                }
                catch (Exception ex)
                {
                    Report(ex);
                }
            }

            private void OnPublished(object sender, MqttMsgPublishedEventArgs e)
            {
                // PUBACK (QoS 1) or PUBCOMP (QoS 2); IsPublished false when upstream gave up on the message.
                try
                {
                    IMqttListener listener = Listener();
                    if (listener != null)
                    {
                        listener.OnPublished(Number, e.MessageId, e.IsPublished);
                    }
                }
                catch (Exception ex)
                {
                    Report(ex);
                }
            }

            private void OnSubscribed(object sender, MqttMsgSubscribedEventArgs e)
            {
                // One topic per SUBSCRIBE here. MqttMsgSuback puts the SUBACK byte in GrantedQoSLevels as is: a
                // refusal is 0x80 or, with MQTT 5, a reason above it (0x87 not authorized); the core takes >= 0x80.
                try
                {
                    IMqttListener listener = Listener();
                    MqttQoSLevel[] granted = e.GrantedQoSLevels;
                    if (listener != null && granted != null && granted.Length > 0)
                    {
                        listener.OnSubscribed(Number, e.MessageId, (int)granted[0]);
                    }
                }
                catch (Exception ex)
                {
                    Report(ex);
                }
            }

            private void OnConnectionClosed(object sender, EventArgs e)
            {
                try
                {
                    IMqttListener listener = Listener();
                    if (listener != null)
                    {
                        listener.OnConnectionClosed(Number);
                    }
                }
                catch (Exception ex)
                {
                    Report(ex);
                }
            }

            private void OnConnectionOpened(object sender, ConnectionOpenedEventArgs e)
            {
                // Connect returns only the return code; the CONNACK's session-present flag comes with this event,
                // raised on the receive thread before Connect returns (or throws).
                try
                {
                    if (e.Message != null)
                    {
                        Interlocked.Exchange(ref _sessionPresent, e.Message.SessionPresent ? 1 : 0);
                        Interlocked.Exchange(ref _connackCode, (int)e.Message.ReturnCode);
                    }
                }
                catch (Exception ex)
                {
                    Report(ex);
                }
            }
        }
    }
}
