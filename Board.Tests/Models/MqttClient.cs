using System;
using System.Collections;
using System.Collections.Generic;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using Board.Models;
using nanoFramework.M2Mqtt.Exceptions;
using nanoFramework.M2Mqtt.Messages;

namespace nanoFramework.M2Mqtt
{
    /// <summary>
    /// A model of nanoframework/nanoFramework.m2mqtt v5.1.220 M2Mqtt/MqttClient.cs (line numbers below are of that
    /// file) talking to a <see cref="ModelBroker"/>. Its threads are modelled as managed board work:
    /// the receive thread (ReceiveThread, lines 1356-1582), the inflight thread (ProcessInflightThread, lines
    /// 1797-2590), the dispatch thread (DispatchEventThread, lines 1646-1784) and the keepalive thread
    /// (KeepAliveThread, lines 1591-1640).
    /// </summary>
    public class MqttClient : IMqttClient, IDisposable
    {
        public delegate void ConnectionOpenedEventHandler(object sender, ConnectionOpenedEventArgs e);

        private readonly ModelBroker _broker;
        private readonly MqttSettings _settings = MqttSettings.Instance;
        private readonly X509Certificate _caCert;

        // The event queue (_eventQueue): unbounded, filled by the receive and inflight threads, emptied by dispatch.
        private readonly Queue<Action> _eventQueue = new Queue<Action>();
        private readonly List<Inflight> _inflight = new List<Inflight>();
        private ushort _messageIdCounter;
        private bool _isRunning;
        private bool _isConnectionClosing;
        private bool _dispatchScheduled;
        private bool _desynchronised;
        private int _generation;
        private long _lastCommTime;
        private long _keepAlivePeriod;
        private Packet _connack;
        private bool _connackWaiting;
        private bool _readEnd;

        /// <summary>The constructor resolves the broker's name at once (MqttNetworkChannel's constructor, M2Mqtt/Net/
        /// MqttNetworkChannel.cs, calls Dns.GetHostEntry): a name the network does not know throws SocketException
        /// (HostNotFound) here.</summary>
        public MqttClient(string brokerHostName, int brokerPort, bool secure, X509Certificate caCert, X509Certificate clientCert, MqttSslProtocols sslProtocol)
        {
            ModelBroker broker = BoardModels.Broker;
            if (Esp32Wifi.Address == "0.0.0.0" || brokerHostName != broker.HostName)
            {
                throw new SocketException(SocketError.HostNotFound);
            }

            _broker = broker;
            _caCert = caCert;
            ProtocolVersion = MqttProtocolVersion.Version_3_1_1;
            BoardModels.Clients.Add(this);
        }

        public event IMqttClient.MqttMsgPublishEventHandler MqttMsgPublishReceived;

        public event IMqttClient.MqttMsgPublishedEventHandler MqttMsgPublished;

        public event IMqttClient.MqttMsgSubscribedEventHandler MqttMsgSubscribed;

        public event ConnectionOpenedEventHandler ConnectionOpened;

        public event IMqttClient.ConnectionClosedEventHandler ConnectionClosed;

        /// <summary>Line 181. Set true by Connect once the CONNACK accepted; set false at once by OnConnectionClosing
        /// (lines 879-892), and by Close.</summary>
        public bool IsConnected { get; private set; }

        public MqttSettings Settings => _settings;

        public MqttProtocolVersion ProtocolVersion { get; set; }

        public uint SessionExpiryInterval { get; set; }

        public uint MaximumPacketSize { get; set; }

        /// <summary>The Maximum Packet Size the last CONNECT carried (0: none). MqttMsgConnect writes its properties,
        /// this one included, only for ProtocolVersion Version_5 (M2Mqtt/Messages/MqttMsgConnect.cs GetBytes).</summary>
        internal uint ConnectedMaximumPacketSize { get; private set; }

        /// <summary>PUBLISH and SUBSCRIBE packets this client handed to the link, retries included.</summary>
        public int PacketsSent { get; private set; }

        public MqttReasonCode Connect(string clientId)
        {
            return Connect(clientId, null, null, false, MqttQoSLevel.AtMostOnce, false, null, null, true, 60);
        }

        public MqttReasonCode Connect(string clientId, string username, string password)
        {
            return Connect(clientId, username, password, false, MqttQoSLevel.AtMostOnce, false, null, null, true, 60);
        }

        /// <summary>Connect (lines 426-563): the channel's Connect (TCP and the TLS handshake, which holds the whole
        /// interpreter) wraps any failure in MqttConnectionException (lines 448-463); the CONNECT is checked as it is
        /// serialised (M2Mqtt/Messages/MqttMsgConnect.cs lines 423-452: WillWrong, unwrapped); the CONNACK comes through
        /// the receive thread, which raises ConnectionOpened (line 942) before Connect returns; no CONNACK within
        /// TimeoutOnReceiving, or the stream ending first, throws MqttCommunicationException (SendReceive). A refusing
        /// code is returned; accepted starts the keepalive, dispatch and inflight threads and sets IsConnected.</summary>
        public MqttReasonCode Connect(string clientId, string username, string password, bool willRetain, MqttQoSLevel willQosLevel,
            bool willFlag, string willTopic, string willMessage, bool cleanSession, ushort keepAlivePeriod)
        {
            _broker.Connects++;
            ConnectedMaximumPacketSize = ProtocolVersion == MqttProtocolVersion.Version_5 ? MaximumPacketSize : 0;
            BoardTime.Blocked(_broker.HandshakeMs);
            if (_broker.HandshakeFailure != null)
            {
                Exception cause = _broker.HandshakeFailure;
                if (cause is SocketException socket)
                {
                    throw new MqttConnectionException("Socket exception connecting to the broker: " + socket.ErrorCode, socket);
                }

                throw new MqttConnectionException("Exception connecting to the broker", cause);
            }

            if (willFlag && (string.IsNullOrEmpty(willTopic) || string.IsNullOrEmpty(willMessage)))
            {
                throw new MqttClientException(MqttClientErrorCode.WillWrong);
            }

            if (!willFlag && (willRetain || willTopic != null || willMessage != null))
            {
                throw new MqttClientException(MqttClientErrorCode.WillWrong);
            }

            _generation++;
            _isRunning = true;
            _isConnectionClosing = false;
            _readEnd = false;
            _desynchronised = false;
            _connack = null;
            _connackWaiting = true;
            _broker.Client = this;
            if (_broker.AnswersConnect && _broker.LinkUp)
            {
                bool accepted = username == _broker.Username && password == _broker.Password;
                FromBroker(new Packet
                {
                    Kind = PacketKind.Connack,
                    ReturnCode = accepted ? 0 : (int)MqttReasonCode.ConnectionRefusedBadUserNameOrPassword,
                    SessionPresent = accepted && !cleanSession && _broker.SessionPresent,
                });
            }

            long end = BoardTime.NowMs + _settings.TimeoutOnReceiving;
            while (_connack == null && !_readEnd && BoardTime.NowMs < end)
            {
                BoardTime.Advance(10);
            }

            _connackWaiting = false;
            if (_connack == null)
            {
                throw new MqttCommunicationException();
            }

            MqttReasonCode code = (MqttReasonCode)_connack.ReturnCode;
            if (code == MqttReasonCode.Success)
            {
                _keepAlivePeriod = keepAlivePeriod * 1000L;
                _lastCommTime = BoardTime.NowMs;
                if (_keepAlivePeriod != 0)
                {
                    ScheduleKeepAlive(_generation, _keepAlivePeriod);
                }

                IsConnected = true;
            }

            return code;
        }

        /// <summary>Subscribe (lines 713-725): queued for the inflight thread, id returned at once.</summary>
        public ushort Subscribe(string[] topics, MqttQoSLevel[] qosLevels)
        {
            ushort id = GetMessageId();
            EnqueueInflight(new Inflight { Kind = PacketKind.Subscribe, Topic = topics[0], Qos = (int)qosLevels[0], MessageId = id });
            return id;
        }

        /// <summary>Publish (lines 823-857): the message keeps the caller's array (MqttMsgPublish's constructor,
        /// M2Mqtt/Messages/MqttMsgPublish.cs line 115) and is serialised later by the inflight thread (GetBytes, line 330
        /// copies Message into the packet).</summary>
        public ushort Publish(string topic, byte[] message, string contentType, ArrayList userProperties, MqttQoSLevel qosLevel, bool retain)
        {
            ushort id = GetMessageId();
            EnqueueInflight(new Inflight { Kind = PacketKind.Publish, Topic = topic, Payload = message, Qos = (int)qosLevel, Retain = retain, MessageId = id });
            return id;
        }

        public ushort Publish(string topic, byte[] message)
        {
            return Publish(topic, message, null, null, MqttQoSLevel.AtMostOnce, false);
        }

        /// <summary>Close (lines 581-671): stops the threads, clears the inflight, internal and event queues (events not
        /// yet dispatched are lost), closes the channel; raises nothing; swallows errors.</summary>
        public void Close()
        {
            _isRunning = false;
            _generation++;
            _inflight.Clear();
            _eventQueue.Clear();
            IsConnected = false;
            if (_broker.Client == this)
            {
                _broker.Client = null;
            }
        }

        public void Disconnect()
        {
            OnConnectionClosing();
        }

        public void Dispose()
        {
            OnConnectionClosing();
            Close();
        }

        // ---- the link -----------------------------------------------------------------------------------------------

        /// <summary>A packet from the broker reaches the receive thread after the link's latency (and
        /// <paramref name="delayMs"/> more), unless the link is down.</summary>
        internal void FromBroker(Packet packet, long delayMs = 0)
        {
            if (!_broker.LinkUp)
            {
                return;
            }

            int generation = _generation;
            BoardTime.AtManaged(BoardTime.NowMs + _broker.LatencyMs + delayMs, () =>
            {
                if (generation == _generation && _isRunning)
                {
                    Receive(packet);
                }
            });
        }

        /// <summary>The receive thread reads 0 bytes: the peer closed (lines 1540-1551): the exception Connect may throw
        /// is recorded, and the connection is closing.</summary>
        internal void PeerClosed()
        {
            int generation = _generation;
            BoardTime.AtManaged(BoardTime.NowMs + _broker.LatencyMs, () =>
            {
                if (generation == _generation && _isRunning)
                {
                    _readEnd = true;
                    OnConnectionClosing();
                }
            });
        }

        private void ToBroker(Packet packet)
        {
            PacketsSent += packet.Kind == PacketKind.Publish || packet.Kind == PacketKind.Subscribe ? 1 : 0;
            _lastCommTime = BoardTime.NowMs; // Send, line 973
            if (!_broker.LinkUp)
            {
                return;
            }

            BoardTime.AtNative(BoardTime.NowMs + _broker.LatencyMs, () =>
            {
                if (_broker.Client == this && _broker.LinkUp)
                {
                    _broker.FromDevice(this, packet);
                }
            });
        }

        // ---- the receive thread (lines 1356-1582) ---------------------------------------------------------------------

        private void Receive(Packet packet)
        {
            if (_desynchronised)
            {
                return; // the stream is read from the middle of a packet: nothing parses any more
            }

            try
            {
                switch (packet.Kind)
                {
                    case PacketKind.Connack:
                        // line 1385 parses it, line 1394 raises ConnectionOpened on this thread, then signals Connect
                        MqttMsgConnack connack = new MqttMsgConnack { ReturnCode = (MqttReasonCode)packet.ReturnCode, SessionPresent = packet.SessionPresent };
                        ConnectionOpened?.Invoke(this, new ConnectionOpenedEventArgs(connack));
                        if (_connackWaiting)
                        {
                            _connack = packet;
                        }

                        break;
                    case PacketKind.Publish:
                        // MqttMsgPublish.Parse (MqttMsgPublish.cs lines 343-360 and 446): a buffer of the remaining length,
                        // then a second array for the payload: about twice the packet in the heap at once.
                        int remaining = 2 + packet.Topic.Length + (packet.Qos > 0 ? 2 : 0) + packet.Payload.Length;
                        BoardMemory.Allocate(remaining + packet.Payload.Length);
                        byte[] copy = (byte[])packet.Payload.Clone();
                        EnqueueInflight(new Inflight { Kind = PacketKind.Publish, Acknowledge = true, Topic = packet.Topic, Payload = copy, Qos = packet.Qos, Retain = packet.Retain, MessageId = packet.MessageId });
                        break;
                    case PacketKind.Puback:
                    case PacketKind.Suback:
                        // EnqueueInternal (lines 1419-1440): the inflight thread matches it with what waits for it
                        Acknowledged(packet);
                        break;
                    case PacketKind.PingResp:
                        _pingAnswered = true;
                        break;
                }
            }
            catch (Exception e)
            {
                // lines 1554-1580: only an IOException or SocketException closes; anything else (OutOfMemoryException
                // while allocating the packet) is recorded and the loop reads on, now in the middle of that packet.
                if (e is System.IO.IOException || e is SocketException)
                {
                    OnConnectionClosing();
                }
                else
                {
                    _desynchronised = true;
                }
            }
        }

        // ---- the inflight thread (lines 1797-2590) --------------------------------------------------------------------

        private sealed class Inflight
        {
            public PacketKind Kind;
            public bool Acknowledge;
            public string Topic;
            public byte[] Payload;
            public int Qos;
            public bool Retain;
            public ushort MessageId;
            public int Attempt;
            public long Timestamp;
            public bool Done;
        }

        private void EnqueueInflight(Inflight message)
        {
            // EnqueueInflight queues even when the client is no longer running: the message just never leaves.
            _inflight.Add(message);
            int generation = _generation;
            BoardTime.PostManaged(() =>
            {
                if (generation == _generation && _isRunning)
                {
                    ProcessInflight(message);
                }
            });
        }

        private void ProcessInflight(Inflight message)
        {
            if (message.Acknowledge)
            {
                // QoS 1 PUBLISH from the broker (lines 1956-1972): PUBACK first, then the event for dispatch.
                _inflight.Remove(message);
                if (message.Qos > 0)
                {
                    ToBroker(new Packet { Kind = PacketKind.Puback, MessageId = message.MessageId });
                }

                Raise(() => MqttMsgPublishReceived?.Invoke(this, new MqttMsgPublishEventArgs(message.Topic, message.Payload, false, (MqttQoSLevel)message.Qos, message.Retain)));
                return;
            }

            Send(message);
        }

        /// <summary>QueuedQos1 (lines 1892-1955): serialise now (the payload array is read here, not at Publish), send,
        /// wait for the answer; after DelayOnRetry without it send again (DUP), up to AttemptsOnRetry in all; then a
        /// PUBLISH ends in MqttMsgPublished(IsPublished = false) (lines 2127-2145) and a SUBSCRIBE ends silently
        /// (lines 2146-2148). QoS 0 is sent once and forgotten.</summary>
        private void Send(Inflight message)
        {
            message.Attempt++;
            message.Timestamp = BoardTime.NowMs;
            byte[] serialised = message.Payload == null ? null : (byte[])message.Payload.Clone();
            ToBroker(new Packet
            {
                Kind = message.Kind,
                Topic = message.Topic,
                Payload = serialised,
                Qos = message.Qos,
                Retain = message.Retain,
                Dup = message.Attempt > 1,
                MessageId = message.MessageId,
            });
            if (message.Kind == PacketKind.Publish && message.Qos == 0)
            {
                _inflight.Remove(message);
                return;
            }

            int generation = _generation;
            BoardTime.AtManaged(BoardTime.NowMs + _settings.DelayOnRetry, () =>
            {
                if (generation != _generation || !_isRunning || message.Done)
                {
                    return;
                }

                if (message.Attempt < _settings.AttemptsOnRetry)
                {
                    Send(message);
                    return;
                }

                _inflight.Remove(message);
                if (message.Kind == PacketKind.Publish)
                {
                    Raise(() => MqttMsgPublished?.Invoke(this, new MqttMsgPublishedEventArgs(message.MessageId, false)));
                }
            });
        }

        private void Acknowledged(Packet ack)
        {
            Inflight waiting = _inflight.Find(m => !m.Acknowledge && m.MessageId == ack.MessageId
                && (ack.Kind == PacketKind.Puback ? m.Kind == PacketKind.Publish : m.Kind == PacketKind.Subscribe));
            if (waiting == null)
            {
                return; // an orphan answer (to a retry already answered) is dropped
            }

            waiting.Done = true;
            _inflight.Remove(waiting);
            if (ack.Kind == PacketKind.Puback)
            {
                Raise(() => MqttMsgPublished?.Invoke(this, new MqttMsgPublishedEventArgs(ack.MessageId, true)));
            }
            else
            {
                MqttQoSLevel[] granted = { (MqttQoSLevel)ack.Qos };
                Raise(() => MqttMsgSubscribed?.Invoke(this, new MqttMsgSubscribedEventArgs(ack.MessageId, granted)));
            }
        }

        // ---- the keepalive thread (lines 1591-1640) and Ping (lines 684-705) -------------------------------------------

        private bool _pingAnswered;

        private void ScheduleKeepAlive(int generation, long waitMs)
        {
            BoardTime.AtManaged(BoardTime.NowMs + waitMs, () =>
            {
                if (generation != _generation || !_isRunning)
                {
                    return;
                }

                long delta = BoardTime.NowMs - _lastCommTime;
                if (delta < _keepAlivePeriod)
                {
                    ScheduleKeepAlive(generation, _keepAlivePeriod - delta);
                    return;
                }

                // PINGREQ, then SendReceive waits up to the keepalive period for PINGRESP; none closes the connection.
                _pingAnswered = false;
                ToBroker(new Packet { Kind = PacketKind.PingReq });
                BoardTime.AtManaged(BoardTime.NowMs + _keepAlivePeriod, () =>
                {
                    if (generation != _generation || !_isRunning)
                    {
                        return;
                    }

                    if (_pingAnswered)
                    {
                        ScheduleKeepAlive(generation, _keepAlivePeriod);
                    }
                    else
                    {
                        OnConnectionClosing();
                    }
                });
            });
        }

        // ---- the dispatch thread (lines 1646-1784) ----------------------------------------------------------------------

        /// <summary>OnInternalEvent (lines 866-874): into the unbounded event queue, and wake the dispatch thread.</summary>
        private void Raise(Action handlerCall)
        {
            _eventQueue.Enqueue(handlerCall);
            WakeDispatch();
        }

        /// <summary>OnConnectionClosing (lines 879-892): IsConnected false at once; dispatch finishes the queue, then
        /// closes and raises ConnectionClosed.</summary>
        private void OnConnectionClosing()
        {
            if (!_isConnectionClosing)
            {
                _isConnectionClosing = true;
                IsConnected = false;
                WakeDispatch();
            }
        }

        private void WakeDispatch()
        {
            if (_dispatchScheduled)
            {
                return;
            }

            _dispatchScheduled = true;
            int generation = _generation;
            BoardTime.PostManaged(() => Dispatch(generation));
        }

        /// <summary>One event per turn, so other managed work interleaves as the threads would. A handler that throws
        /// is caught (lines 1769-1780) and flags the connection as closing; once the queue is empty and it is closing,
        /// Close() and then ConnectionClosed (lines 1736-1746).</summary>
        private void Dispatch(int generation)
        {
            _dispatchScheduled = false;
            if (generation != _generation || !_isRunning || BoardModels.DispatchHeld)
            {
                return;
            }

            if (_eventQueue.Count > 0)
            {
                Action call = _eventQueue.Dequeue();
                try
                {
                    call();
                }
                catch (Exception)
                {
                    OnConnectionClosing();
                }
            }

            if (BoardModels.DispatchHeld)
            {
                return; // the listener call is still running: nothing else is dispatched
            }

            if (_eventQueue.Count > 0)
            {
                WakeDispatch();
                return;
            }

            if (_isConnectionClosing)
            {
                Close();
                ConnectionClosed?.Invoke(this, EventArgs.Empty);
            }
        }

        internal void DispatchReleased()
        {
            WakeDispatch();
        }

        /// <summary>GetMessageId (lines 2675-2680): 1..65535 per client.</summary>
        private ushort GetMessageId()
        {
            _messageIdCounter = (_messageIdCounter % ushort.MaxValue) != 0 ? (ushort)(_messageIdCounter + 1) : (ushort)1;
            return _messageIdCounter;
        }
    }
}
