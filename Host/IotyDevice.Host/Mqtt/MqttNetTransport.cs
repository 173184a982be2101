using System;
using System.Buffers;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Security.Authentication;
using System.Threading;
using System.Threading.Tasks;
using IotyDevice.Core;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace IotyDevice.Host.Mqtt
{
    /// <summary>The core's MQTT port on MQTTnet 5, behaving like M2Mqtt 5.1.220 on the board wherever the core
    /// depends on it (Firmware/Core/Ports/README.md has the contract table): MQTT 5 over TLS 1.2+, a blocking
    /// Connect, fire-and-forget Subscribe/Publish; a QoS 1 message is acknowledged as soon as it arrives and then
    /// waits in an unbounded queue for the one dispatch thread that raises every listener call; Close() sends no
    /// DISCONNECT (so the broker publishes the will) and throws away what that queue still holds; a loss is
    /// reported after everything queued before it, once the library has closed the connection itself.</summary>
    public sealed class MqttNetTransport : IMqttTransport, IDisposable
    {
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

        /// <summary>One MQTTnet client per connection, with its own event queue and dispatch thread (M2Mqtt starts a
        /// DispatchEventThread per Connect). Close() marks it so nothing of it reaches the core any more.</summary>
        private sealed class Connection
        {
            public readonly IMqttClient Client;
            public readonly int Number;
            private readonly MqttNetTransport _owner;
            private readonly Queue<Action<IMqttListener>> _events = new Queue<Action<IMqttListener>>();
            private readonly AutoResetEvent _eventQueued = new AutoResetEvent(false);
            private int _lastMessageId;
            private bool _lost;   // the library noticed the loss: dispatch what is queued, then report it
            private bool _closed; // Close(): queue cleared, nothing more is raised
            public volatile bool ClosedOnPurpose; // calls that fail from now on are expected

            public Connection(IMqttClient client, int number, MqttNetTransport owner)
            {
                Client = client;
                Number = number;
                _owner = owner;
                var dispatch = new Thread(Dispatch) { IsBackground = true, Name = "mqtt-dispatch-" + number };
                dispatch.Start();
            }

            /// <summary>The transport's own ids: MQTTnet assigns packet ids only once a call is under way.</summary>
            public int NextMessageId() { return Interlocked.Increment(ref _lastMessageId); }

            /// <summary>Open as far as the library knows: false from the moment it notices a loss (M2Mqtt clears
            /// IsConnected in OnConnectionClosing, before it dispatches what is queued).</summary>
            public bool IsOpen { get { lock (_events) return !_lost && !_closed; } }

            /// <summary>Queues a listener call for the dispatch thread; unbounded, like M2Mqtt's event queue.</summary>
            public void Enqueue(Action<IMqttListener> call)
            {
                lock (_events)
                {
                    if (_lost || _closed) return;
                    _events.Enqueue(call);
                }
                _eventQueued.Set();
            }

            /// <summary>The library lost the connection: what is queued is still raised, then OnConnectionClosed.</summary>
            public void MarkLost()
            {
                lock (_events) _lost = true;
                _eventQueued.Set();
            }

            /// <summary>A deliberate close: what is queued is thrown away (M2Mqtt's Close() clears its event queue),
            /// and the dispatch thread ends after the call it may be in.</summary>
            public void MarkClosed()
            {
                lock (_events)
                {
                    _closed = true;
                    _events.Clear();
                }
                _eventQueued.Set();
            }

            private void Dispatch()
            {
                while (true)
                {
                    Action<IMqttListener> call = null;
                    bool reportLoss = false;
                    lock (_events)
                    {
                        if (_closed) return;
                        if (_events.Count > 0) call = _events.Dequeue();
                        else if (_lost) reportLoss = true;
                    }
                    if (call != null) _owner.Raise(call);
                    else if (reportLoss)
                    {
                        _owner.Raise(l => l.OnConnectionClosed(Number));
                        return;
                    }
                    else _eventQueued.WaitOne();
                }
            }
        }

        public void SetListener(IMqttListener listener) { _listener = listener; }

        public ConnectResult Connect(MqttConnectRequest request)
        {
            Close(); // one connection at a time, as on the device
            CaTrust trust = CaTrust.For(request.CaCertificate, request.Host);
            var connection = new Connection(_factory.CreateMqttClient(), Interlocked.Increment(ref _connections), this);
            IMqttClient client = connection.Client;
            client.ApplicationMessageReceivedAsync += e => Receive(connection, e);
            client.DisconnectedAsync += e =>
            {
                // Raised once MQTTnet has closed the connection itself. ClientWasConnected is false for a failed
                // Connect: that failure is Connect's result, not a loss.
                if (e.ClientWasConnected) connection.MarkLost();
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
                // MQTTnet's result codes are MQTT 5's reason codes, as M2Mqtt's are on the board.
                return new ConnectResult((int)result.ResultCode, false, connection.Number);
            }
            return new ConnectResult(ConnectResult.Accepted, result.IsSessionPresent, connection.Number);
        }

        public bool IsConnected
        {
            get
            {
                Connection c = _current;
                return c != null && c.IsOpen && c.Client.IsConnected;
            }
        }

        private Connection Open(string what)
        {
            Connection c = _current;
            if (c == null || !c.IsOpen || !c.Client.IsConnected) throw new MqttNotConnectedException("MQTT is not connected; " + what + " was not sent");
            return c;
        }

        private MqttClientOptions BuildOptions(MqttConnectRequest r, CaTrust trust)
        {
            MqttClientOptionsBuilder builder = _factory.CreateClientOptionsBuilder()
                .WithTcpServer(r.Host, r.Port)
                // MQTT 5 with the board's Maximum Packet Size, as M2MqttTransport asks: the broker withholds bigger
                // messages from this client too, so the simulator shows the board's limit.
                .WithProtocolVersion(MqttProtocolVersion.V500)
                .WithMaximumPacketSize((uint)r.MaxPacketBytes)
                .WithSessionExpiryInterval(r.CleanSession ? 0u : (uint)r.SessionExpirySeconds)
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

        /// <summary>On MQTTnet's receive path: acknowledge first, then queue for the dispatch thread, as M2Mqtt does
        /// (its inflight thread sends the PUBACK, then enqueues the MqttMsgPublishReceived event). So a full inbox
        /// slows nobody down: the broker has its PUBACK and the message waits in the unbounded queue.</summary>
        private async Task Receive(Connection connection, MqttApplicationMessageReceivedEventArgs e)
        {
            // ToArray copies: the interface hands the core a byte[] it may keep (MQTTnet reuses its buffers).
            string topic = e.ApplicationMessage.Topic;
            byte[] payload = e.ApplicationMessage.Payload.ToArray();
            int qos = (int)e.ApplicationMessage.QualityOfServiceLevel;
            e.AutoAcknowledge = false;
            try
            {
                await e.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception ex)
            {
                // The connection died under the PUBACK: like M2Mqtt (whose Send throws before it enqueues the event)
                // the message is not raised; the broker still has it and sends it again.
                _trace("MQTT: acknowledging a message on " + topic + " failed: " + ex.Message);
                return;
            }
            connection.Enqueue(l => l.OnMessage(topic, payload, qos));
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
                    c.Enqueue(l => l.OnSubscribed(c.Number, id, granted));
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
                // Any PUBACK confirms, as M2Mqtt's does: MQTT 5 brokers answer 0x10 "no matching subscribers" too.
                id == 0 ? null : t => c.Enqueue(l => l.OnPublished(c.Number, id, (int)t.Result.ReasonCode < 0x80)),
                "publish to " + topic);
            return id;
        }

        /// <summary>On a dispatch thread. A listener that throws must not end the dispatch (M2Mqtt's loop catches too).</summary>
        private void Raise(Action<IMqttListener> call)
        {
            IMqttListener listener = _listener;
            if (listener == null) return;
            try { call(listener); }
            catch (Exception ex) { _trace("MQTT: listener failed: " + ex.Message); }
        }

        private static Task<T> Start<T>(Func<Task<T>> call)
        {
            try { return call(); }
            catch (Exception e) { return Task.FromException<T>(e); }
        }

        /// <summary>Fire and forget, but never an unobserved fault: a failed call is traced (unless Close() cut it
        /// short); a dead connection is reported by the DisconnectedAsync event instead.</summary>
        private void Observe<T>(Connection c, Task<T> task, Action<Task<T>> onSuccess, string what)
        {
            task.ContinueWith(t =>
            {
                if (c.ClosedOnPurpose && !t.IsCompletedSuccessfully) return;
                if (t.IsFaulted) _trace("MQTT: " + what + " failed: " + t.Exception.GetBaseException().Message);
                else if (t.IsCanceled) _trace("MQTT: " + what + " cancelled");
                else if (onSuccess != null) onSuccess(t);
            }, TaskScheduler.Default);
        }

        /// <summary>Like M2Mqtt's Close(): sends no DISCONNECT (so the broker publishes the will), throws away the
        /// events not yet dispatched, and drops the socket. Bounded, idempotent, never throws, and raises nothing
        /// (a listener call already under way on the dispatch thread may still finish).</summary>
        public void Close()
        {
            Connection c;
            lock (_gate)
            {
                c = _current;
                _current = null;
            }
            if (c == null) return;
            c.ClosedOnPurpose = true;
            c.MarkClosed();
            // Dispose, unlike DisconnectAsync, closes the channel without sending DISCONNECT.
            try { c.Client.Dispose(); } catch (Exception e) { _trace("MQTT: dispose: " + e.Message); }
        }

        public void Dispose() { Close(); }
    }
}
