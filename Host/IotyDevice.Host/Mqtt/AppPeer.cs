using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Linq;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace IotyDevice.Host.Mqtt
{
    /// <summary>The IoTy App Builder's side of the lesson: a plain MQTTnet client (never the device's transport) on the
    /// broker the device uses, with the same credentials and CA. What it receives is what really crossed the broker.
    /// The one such client of the project: the simulator's App Builder side and page, the broker tests and the
    /// benchmarks (where it is also the raw-client baseline) all use it.</summary>
    public sealed class AppPeer : IDisposable
    {
        private readonly IMqttClient _client;
        private readonly ConcurrentQueue<(string Topic, byte[] Payload, bool Retain)> _received = new ConcurrentQueue<(string, byte[], bool)>();

        private AppPeer(IMqttClient client)
        {
            _client = client;
            _client.ApplicationMessageReceivedAsync += e =>
            {
                OnMessage?.Invoke(e);
                MqttApplicationMessage m = e.ApplicationMessage;
                Action<string, byte[], bool> arrived = MessageArrived;
                if (!KeepReceived && arrived == null) return Task.CompletedTask;
                byte[] payload = m.Payload.ToArray();
                arrived?.Invoke(m.Topic, payload, m.Retain);
                if (KeepReceived) _received.Enqueue((m.Topic, payload, m.Retain));
                Changed.Pulse();
                return Task.CompletedTask;
            };
            _client.DisconnectedAsync += e =>
            {
                if (e.ClientWasConnected) Disconnected?.Invoke();
                return Task.CompletedTask;
            };
        }

        /// <summary>Pulsed after each message is kept (see <see cref="Received"/>).</summary>
        public Signal Changed { get; } = new Signal();

        /// <summary>Called on MQTTnet's thread with each received message, before this peer does anything with it.</summary>
        public Action<MqttApplicationMessageReceivedEventArgs> OnMessage { get; set; }

        /// <summary>Each message (topic, payload, retained), on MQTTnet's thread.</summary>
        public event Action<string, byte[], bool> MessageArrived;

        /// <summary>The connection closed after it had been open (lost, or closed by this peer), on MQTTnet's thread.</summary>
        public event Action Disconnected;

        /// <summary>False: messages are not kept (a benchmark's many peers, or the simulator, stay small).</summary>
        public bool KeepReceived { get; set; } = true;

        /// <summary>Connects over TLS (MQTT 3.1.1, clean session) trusting <paramref name="roots"/> (null: the OS store),
        /// checking the certificate names <paramref name="host"/>. Returns the CONNACK result: a refusal is a result, not
        /// an exception (the caller disposes the peer either way); a TLS or socket fault throws.</summary>
        public static (AppPeer Peer, MqttClientConnectResultCode Result) TryConnect(string host, int port, string user, string password,
            X509Certificate2Collection roots, string clientId, TimeSpan timeout)
        {
            var factory = new MqttClientFactory();
            MqttClientOptions options = factory.CreateClientOptionsBuilder()
                .WithTcpServer(host, port)
                .WithProtocolVersion(MqttProtocolVersion.V311)
                .WithClientId(clientId)
                .WithCredentials(user, password)
                .WithCleanSession(true)
                .WithTimeout(timeout)
                .WithTlsOptions(tls =>
                {
                    tls.UseTls(true)
                        .WithTargetHost(host)
                        .WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
                        .WithRevocationMode(X509RevocationMode.NoCheck);
                    if (roots != null) tls.WithTrustChain(roots);
                })
                .Build();
            var peer = new AppPeer(factory.CreateMqttClient());
            try
            {
                using (var cancel = new CancellationTokenSource(timeout))
                {
                    MqttClientConnectResult result = peer._client.ConnectAsync(options, cancel.Token).GetAwaiter().GetResult();
                    return (peer, result.ResultCode);
                }
            }
            catch (Exception)
            {
                peer.Dispose();
                throw;
            }
        }

        /// <summary>Subscribes and waits for the SUBACK; throws if the broker refuses any of the topics.</summary>
        public void Subscribe(string topic, int qos = 1)
        {
            Subscribe(new[] { topic }, qos, CancellationToken.None);
        }

        /// <summary>One SUBSCRIBE for all <paramref name="topics"/>; throws if the broker refuses any.</summary>
        public void Subscribe(string[] topics, int qos, CancellationToken cancel)
        {
            var subscribe = new MqttClientSubscribeOptionsBuilder();
            foreach (string topic in topics) subscribe = subscribe.WithTopicFilter(topic, (MqttQualityOfServiceLevel)qos);
            MqttClientSubscribeResult result = _client.SubscribeAsync(subscribe.Build(), cancel).GetAwaiter().GetResult();
            foreach (MqttClientSubscribeResultItem item in result.Items)
                if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
                    throw new InvalidOperationException("the subscription to " + item.TopicFilter.Topic + " was refused: " + item.ResultCode);
        }

        /// <summary>Publishes and, for QoS 1, waits for the broker's PUBACK.</summary>
        public MqttClientPublishResult Publish(string topic, byte[] payload, int qos = 1, bool retain = false, CancellationToken cancel = default)
        {
            MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                .WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos).WithRetainFlag(retain).Build();
            return _client.PublishAsync(message, cancel).GetAwaiter().GetResult();
        }

        public MqttClientPublishResult Publish(string topic, string text, int qos = 1, bool retain = false, CancellationToken cancel = default)
        {
            return Publish(topic, Encoding.UTF8.GetBytes(text), qos, retain, cancel);
        }

        /// <summary>Starts a publish and returns at once; for QoS 1 the task ends with the broker's PUBACK.</summary>
        public Task PublishAsync(string topic, byte[] payload, int qos)
        {
            return _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
                .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos).Build());
        }

        /// <summary>Starts a QoS 0 publish without waiting (for floods); returns the task to await at the end.</summary>
        public Task PublishFast(string topic, byte[] payload)
        {
            return PublishAsync(topic, payload, 0);
        }

        public (string Topic, byte[] Payload, bool Retain)[] Received { get { return _received.ToArray(); } }

        public string[] TextsOn(string topic)
        {
            return Received.Where(m => m.Topic == topic).Select(m => Encoding.UTF8.GetString(m.Payload)).ToArray();
        }

        /// <summary>Everything received so far, one "topic: text" line each (for failure messages).</summary>
        public string ReceivedText
        {
            get { return string.Join("\n", Received.Select(m => m.Topic + ": " + Encoding.UTF8.GetString(m.Payload))); }
        }

        public bool IsConnected { get { return _client.IsConnected; } }

        public void Dispose()
        {
            Close(TimeSpan.FromSeconds(2));
        }

        /// <summary>Sends DISCONNECT if connected, waiting at most <paramref name="wait"/>, and frees the client.</summary>
        public void Close(TimeSpan wait)
        {
            try
            {
                if (_client.IsConnected) _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build()).Wait(wait);
            }
            catch (Exception)
            {
                // The broker may already be gone; nothing to clean up then.
            }
            _client.Dispose();
        }
    }
}
