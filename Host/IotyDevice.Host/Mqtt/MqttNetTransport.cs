using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using IotyDevice.Core;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace IotyDevice.Host.Mqtt
{
    /// <summary>The core's MQTT port on MQTTnet 5, behaving like the device's M2Mqtt adapter: MQTT 3.1.1 over
    /// TLS 1.2+, a blocking Connect, fire-and-forget Subscribe/Publish, and callbacks on the library's own
    /// threads (so the core's cross-thread queueing is exercised on the PC exactly as on the board).</summary>
    public sealed class MqttNetTransport : IMqttTransport, IDisposable
    {
        /// <summary>How long Close() lets calls still in flight finish: the core publishes a QoS 1 "offline" just
        /// before it closes, and the DISCONNECT must not overtake that PUBLISH's PUBACK.</summary>
        private const int InFlightGraceMs = 500;

        private readonly MqttClientFactory _factory = new MqttClientFactory();
        private readonly int _connectTimeoutMs;
        private readonly Action<string> _trace;
        private readonly object _gate = new object();
        private volatile Connection _current; // read lock-free by Subscribe/Publish
        private volatile IMqttListener _listener;
        private int _connections; // numbers the connections; events carry their connection's number

        /// <param name="connectTimeoutMs">Bounds TCP connect + TLS handshake + CONNACK, and later acks.</param>
        /// <param name="trace">Where faults of the fire-and-forget calls go (they are otherwise only visible as a
        /// connection loss); null ignores them.</param>
        public MqttNetTransport(int connectTimeoutMs = 10000, Action<string> trace = null)
        {
            _connectTimeoutMs = connectTimeoutMs;
            _trace = trace ?? (_ => { });
        }

        /// <summary>One MQTTnet client per connection. Close() marks it so late callbacks from its threads
        /// (a disconnect event racing the close) never reach the core as a loss of the next connection.</summary>
        private sealed class Connection
        {
            public readonly IMqttClient Client;
            public readonly int Number;
            private int _lastMessageId;
            public volatile bool Closed;          // lost or closed: nothing more reaches the core
            public volatile bool ClosedOnPurpose; // by Close(): calls that fail from now on are expected
            public readonly ConcurrentDictionary<Task, bool> InFlight = new ConcurrentDictionary<Task, bool>();
            public Connection(IMqttClient client, int number) { Client = client; Number = number; }
            /// <summary>The transport's own ids: MQTTnet assigns packet ids only once a call is under way.</summary>
            public int NextMessageId() { return Interlocked.Increment(ref _lastMessageId); }
        }

        public void SetListener(IMqttListener listener) { _listener = listener; }

        public ConnectResult Connect(MqttConnectRequest request)
        {
            Close(); // one connection at a time, as on the device
            CaTrust trust = CaTrust.For(request.CaCertificate, request.Host);
            var connection = new Connection(_factory.CreateMqttClient(), Interlocked.Increment(ref _connections));
            IMqttClient client = connection.Client;
            client.ApplicationMessageReceivedAsync += e => Deliver(connection, e);
            client.DisconnectedAsync += e =>
            {
                // ClientWasConnected is false for a failed Connect: that failure is Connect's result, not a loss.
                if (e.ClientWasConnected && !connection.Closed)
                {
                    connection.Closed = true;
                    IMqttListener listener = _listener;
                    if (listener != null) listener.OnConnectionClosed(connection.Number);
                }
                return Task.CompletedTask;
            };
            lock (_gate) _current = connection; // before CONNACK: a resumed session's queued messages follow it at once

            MqttClientConnectResult result;
            try
            {
                using (var timeout = new CancellationTokenSource(_connectTimeoutMs))
                {
                    try
                    {
                        result = client.ConnectAsync(BuildOptions(request, trust), timeout.Token).GetAwaiter().GetResult();
                    }
                    catch (Exception e)
                    {
                        throw TransportFaults.Classify(e, trust, timeout.IsCancellationRequested, request, _connectTimeoutMs);
                    }
                }
            }
            catch
            {
                Close();
                throw;
            }
            if (result.ResultCode != MqttClientConnectResultCode.Success)
            {
                Close();
                return new ConnectResult(TransportFaults.ToMqtt311(result.ResultCode), false, connection.Number);
            }
            return new ConnectResult(ConnectResult.Accepted, result.IsSessionPresent, connection.Number);
        }

        public bool IsConnected
        {
            get
            {
                Connection c = _current;
                return c != null && !c.Closed && c.Client.IsConnected;
            }
        }

        private Connection Open(string what)
        {
            Connection c = _current;
            if (c == null || c.Closed) throw new MqttNotConnectedException("MQTT is not connected; " + what + " was not sent");
            return c;
        }

        private MqttClientOptions BuildOptions(MqttConnectRequest r, CaTrust trust)
        {
            MqttClientOptionsBuilder builder = _factory.CreateClientOptionsBuilder()
                .WithTcpServer(r.Host, r.Port)
                .WithProtocolVersion(MqttProtocolVersion.V311)
                .WithClientId(r.ClientId)
                .WithCleanSession(r.CleanSession)
                .WithKeepAlivePeriod(TimeSpan.FromSeconds(r.KeepAliveSeconds))
                .WithTimeout(TimeSpan.FromMilliseconds(_connectTimeoutMs))
                .WithTlsOptions(tls => tls
                    .UseTls(true)
                    .WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
                    .WithTargetHost(r.Host) // the name checked against the certificate, also for an IP literal
                    .WithRevocationMode(System.Security.Cryptography.X509Certificates.X509RevocationMode.NoCheck)
                    .WithCertificateValidationHandler(trust.Validate));
            if (!string.IsNullOrEmpty(r.Username)) builder = builder.WithCredentials(r.Username, r.Password ?? "");
            if (r.WillTopic != null)
            {
                builder = builder.WithWillTopic(r.WillTopic)
                    .WithWillPayload(r.WillPayload ?? new byte[0])
                    .WithWillRetain(r.WillRetain)
                    .WithWillQualityOfServiceLevel((MqttQualityOfServiceLevel)r.WillQos);
            }
            return builder.Build();
        }

        private Task Deliver(Connection connection, MqttApplicationMessageReceivedEventArgs e)
        {
            IMqttListener listener = _listener;
            if (connection.Closed || listener == null) return Task.CompletedTask;
            try
            {
                // ToArray copies: the interface hands the core a byte[] it may keep (MQTTnet reuses its buffers).
                // Synchronous on purpose: MQTTnet acknowledges a QoS 1 message only after this returns, so a full
                // inbox slows the broker down instead of losing what it promised.
                listener.OnMessage(e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(),
                    (int)e.ApplicationMessage.QualityOfServiceLevel);
            }
            catch (Exception ex)
            {
                _trace("MQTT: listener failed on a message: " + ex.Message); // never kill MQTTnet's receive loop
            }
            return Task.CompletedTask; // MQTTnet then sends the QoS 1 PUBACK
        }

        public int Subscribe(string topic, int qos)
        {
            Connection c = Open("the subscription to " + topic);
            int id = c.NextMessageId();
            Observe(c, Start(() => c.Client.SubscribeAsync(topic, (MqttQualityOfServiceLevel)qos, CancellationToken.None)), t =>
            {
                foreach (MqttClientSubscribeResultItem item in t.Result.Items)
                {
                    int granted = item.ResultCode <= MqttClientSubscribeResultCode.GrantedQoS2
                        ? (int)item.ResultCode
                        : ConnectResult.SubscriptionRefused;
                    Raise(c, l => l.OnSubscribed(c.Number, id, granted));
                }
            }, "subscribe to " + topic);
            return id;
        }

        public int Publish(string topic, byte[] payload, int qos, bool retain)
        {
            Connection c = Open("the publish to " + topic);
            MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                .WithTopic(topic)
                .WithPayload(payload ?? new byte[0])
                .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos)
                .WithRetainFlag(retain)
                .Build();
            int id = qos == 0 ? 0 : c.NextMessageId();
            // MQTTnet writes the packet before its first real await, so calls keep their order on the wire.
            Observe(c, Start(() => c.Client.PublishAsync(message, CancellationToken.None)),
                id == 0 ? null : t => Raise(c, l => l.OnPublished(c.Number, id, t.Result.IsSuccess)),
                "publish to " + topic);
            return id;
        }

        private void Raise(Connection c, Action<IMqttListener> call)
        {
            IMqttListener listener = _listener;
            if (!c.Closed && listener != null) call(listener);
        }

        private static Task<T> Start<T>(Func<Task<T>> call)
        {
            try { return call(); }
            catch (Exception e) { return Task.FromException<T>(e); }
        }

        /// <summary>Fire and forget, but never an unobserved fault: a failed call is traced (unless Close() cut it
        /// short); a dead connection is reported by the DisconnectedAsync event instead. Tracked until it ends, so
        /// Close() can let it finish.</summary>
        private void Observe<T>(Connection c, Task<T> task, Action<Task<T>> onSuccess, string what)
        {
            c.InFlight.TryAdd(task, true);
            task.ContinueWith(t =>
            {
                c.InFlight.TryRemove(t, out _);
                if (c.ClosedOnPurpose && !t.IsCompletedSuccessfully) return;
                if (t.IsFaulted) _trace("MQTT: " + what + " failed: " + t.Exception.GetBaseException().Message);
                else if (t.IsCanceled) _trace("MQTT: " + what + " cancelled");
                else if (onSuccess != null) onSuccess(t);
            }, TaskScheduler.Default);
        }

        /// <summary>Lets calls still in flight finish (up to <see cref="InFlightGraceMs"/>), sends DISCONNECT (so
        /// the broker discards the will: this is a deliberate close) and frees the client. Bounded, idempotent,
        /// never throws, and raises no OnConnectionClosed.</summary>
        public void Close()
        {
            Connection c;
            lock (_gate)
            {
                c = _current;
                _current = null;
            }
            if (c == null) return;
            c.Closed = true;
            c.ClosedOnPurpose = true;
            try
            {
                if (c.Client.IsConnected)
                {
                    // WaitAny: a faulted call ends the wait without throwing (its fault is not news any more).
                    Task.WaitAny(new[] { Task.WhenAll(c.InFlight.Keys) }, InFlightGraceMs);
                    using (var timeout = new CancellationTokenSource(Math.Min(_connectTimeoutMs, 2000)))
                        c.Client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build(), timeout.Token).GetAwaiter().GetResult();
                }
            }
            catch (Exception e)
            {
                _trace("MQTT: disconnect: " + e.Message);
            }
            try { c.Client.Dispose(); } catch (Exception e) { _trace("MQTT: dispose: " + e.Message); }
        }

        public void Dispose() { Close(); }
    }
}
