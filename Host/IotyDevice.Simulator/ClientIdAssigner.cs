using System;
using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using MQTTnet.Adapter;
using MQTTnet.Diagnostics.Logger;
using MQTTnet.Formatter;
using MQTTnet.Packets;
using MQTTnet.Server;

namespace IotyDevice.Simulator
{
    /// <summary>Gives a client that connects with an empty client ID and a clean session an ID of its own, as
    /// Mosquitto and HiveMQ do (MQTT 3.1.1, 3.1.3.1). MQTTnet's broker assigns one only to MQTT 5 clients and refuses
    /// MQTT 3.1.1 ones with "identifier rejected", which is what mosquitto_sub and mosquitto_pub send by default.
    /// An empty ID with a persistent session is left alone: the broker refuses it, as the standard says.
    /// Wraps a listener (TLS, WebSockets) and rewrites only the first packet of each connection; every packet passes
    /// <see cref="TopicRules"/> on the way.</summary>
    internal sealed class ClientIdAssigner : IMqttServerAdapter
    {
        private readonly IMqttServerAdapter _listener;

        public ClientIdAssigner(IMqttServerAdapter listener)
        {
            _listener = listener;
        }

        public Func<IMqttChannelAdapter, Task> ClientHandler { get; set; }

        public Task StartAsync(MqttServerOptions options, IMqttNetLogger logger)
        {
            _listener.ClientHandler = channel =>
            {
                Func<IMqttChannelAdapter, Task> handler = ClientHandler;
                return handler == null ? Task.CompletedTask : handler(new Connection(channel));
            };
            return _listener.StartAsync(options, logger);
        }

        public Task StopAsync() { return _listener.StopAsync(); }

        public void Dispose() { _listener.Dispose(); }

        /// <summary>"auto-" and 12 random hex digits, like Mosquitto's "auto-" IDs.</summary>
        public static string NewId()
        {
            return "auto-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6)).ToLowerInvariant();
        }

        private sealed class Connection : IMqttChannelAdapter
        {
            private readonly IMqttChannelAdapter _inner;
            private int _received;

            public Connection(IMqttChannelAdapter inner)
            {
                _inner = inner;
            }

            public async Task<MqttPacket> ReceivePacketAsync(CancellationToken cancellationToken)
            {
                MqttPacket packet = await _inner.ReceivePacketAsync(cancellationToken).ConfigureAwait(false);
                if (packet != null) TopicRules.Check(packet);
                MqttConnectPacket connect = packet as MqttConnectPacket;
                if (Interlocked.Increment(ref _received) == 1 && connect != null && string.IsNullOrEmpty(connect.ClientId) && connect.CleanSession)
                    connect.ClientId = NewId();
                return packet;
            }

            public long BytesReceived { get { return _inner.BytesReceived; } }
            public long BytesSent { get { return _inner.BytesSent; } }
            public X509Certificate2 ClientCertificate { get { return _inner.ClientCertificate; } }
            public EndPoint RemoteEndPoint { get { return _inner.RemoteEndPoint; } }
            public EndPoint LocalEndPoint { get { return _inner.LocalEndPoint; } }
            public bool IsSecureConnection { get { return _inner.IsSecureConnection; } }
            public MqttPacketFormatterAdapter PacketFormatterAdapter { get { return _inner.PacketFormatterAdapter; } }
            public Task ConnectAsync(CancellationToken cancellationToken) { return _inner.ConnectAsync(cancellationToken); }
            public Task DisconnectAsync(CancellationToken cancellationToken) { return _inner.DisconnectAsync(cancellationToken); }
            public void ResetStatistics() { _inner.ResetStatistics(); }
            public Task SendPacketAsync(MqttPacket packet, CancellationToken cancellationToken) { return _inner.SendPacketAsync(packet, cancellationToken); }
            public void Dispose() { _inner.Dispose(); }
        }
    }
}
