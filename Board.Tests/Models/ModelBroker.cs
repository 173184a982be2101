using System;
using System.Collections.Generic;
using System.Text;

namespace Board.Models
{
    /// <summary>The far end the MqttClient model talks to: name lookup, TLS, a broker with users, subscriptions and
    /// retained messages, and the link between them, which the test can make silent (packets lost both ways, no
    /// FIN) or close. One per test (<see cref="BoardModels.Reset"/>).</summary>
    public sealed class ModelBroker
    {
        public string HostName = "broker.example";
        public int Port = 8883;
        public string Username = "device";
        public string Password = "secret";

        /// <summary>The TLS handshake's time; the interpreter is held throughout (see BoardTime).</summary>
        public long HandshakeMs = 1500;

        /// <summary>One way through the link.</summary>
        public long LatencyMs = 20;

        /// <summary>Thrown by the handshake instead of completing it (a SocketException with an mbedTLS code, or the
        /// CryptographicException newer images throw), or null.</summary>
        public Exception HandshakeFailure;

        /// <summary>The broker accepts the TCP connection and the handshake but never answers CONNECT.</summary>
        public bool AnswersConnect = true;

        /// <summary>The broker's SUBACK and PUBACK wait this long (a busy broker).</summary>
        public long AckDelayMs;

        public bool SessionPresent;

        /// <summary>False: packets are lost both ways and nobody notices (WiFi gone without a FIN).</summary>
        public bool LinkUp = true;

        public readonly List<Received> Publishes = new List<Received>();
        public readonly List<string> Subscribes = new List<string>();

        /// <summary>PUBACKs the device sent for the broker's QoS 1 messages.</summary>
        public int Pubacks;
        public readonly Dictionary<string, byte[]> Retained = new Dictionary<string, byte[]>();
        public int Connects;

        internal nanoFramework.M2Mqtt.MqttClient Client;

        /// <summary>PUBLISHes the broker got from the device, oldest first.</summary>
        public sealed class Received
        {
            public string Topic;
            public byte[] Payload;
            public int Qos;
            public bool Dup;
            public ushort MessageId;

            public string Text => Encoding.UTF8.GetString(Payload);
        }

        /// <summary>Messages not sent to the device because they exceed the Maximum Packet Size of its CONNECT.</summary>
        public int Withheld;

        /// <summary>The broker sends a PUBLISH to the device (a message from another client on a subscribed topic). A
        /// server never sends a client a packet larger than the Maximum Packet Size the client's MQTT 5 CONNECT gave
        /// (MQTT 5.0 §3.1.2.11.4; Mosquitto drops such a message for that client), so it is withheld.</summary>
        public void Send(string topic, byte[] payload, int qos, bool retain = false)
        {
            uint limit = Client == null ? 0 : Client.ConnectedMaximumPacketSize;
            // fixed header (≤ 5), topic length and topic, packet id for QoS > 0, properties length, payload
            long size = 5 + 2 + Encoding.UTF8.GetByteCount(topic) + (qos > 0 ? 2 : 0) + 1 + payload.Length;
            if (limit > 0 && size > limit)
            {
                Withheld++;
                return;
            }

            Client?.FromBroker(new Packet { Kind = PacketKind.Publish, Topic = topic, Payload = payload, Qos = qos, Retain = retain, MessageId = NextId() });
        }

        public void Send(string topic, string text, int qos = 1)
        {
            Send(topic, Encoding.UTF8.GetBytes(text), qos);
        }

        /// <summary>The broker (or a middlebox) closes the connection: the device reads the end of the stream.</summary>
        public void CloseConnection()
        {
            Client?.PeerClosed();
        }

        private ushort _nextId;

        private ushort NextId()
        {
            _nextId = (ushort)(_nextId % 65535 + 1);
            return _nextId;
        }

        /// <summary>The device's packet arrives at the broker.</summary>
        internal void FromDevice(nanoFramework.M2Mqtt.MqttClient client, Packet packet)
        {
            switch (packet.Kind)
            {
                case PacketKind.Publish:
                    Publishes.Add(new Received { Topic = packet.Topic, Payload = packet.Payload, Qos = packet.Qos, Dup = packet.Dup, MessageId = packet.MessageId });
                    if (packet.Qos > 0)
                    {
                        client.FromBroker(new Packet { Kind = PacketKind.Puback, MessageId = packet.MessageId }, AckDelayMs);
                    }

                    break;
                case PacketKind.Subscribe:
                    Subscribes.Add(packet.Topic);
                    client.FromBroker(new Packet { Kind = PacketKind.Suback, MessageId = packet.MessageId, Qos = packet.Qos }, AckDelayMs);
                    if (Retained.TryGetValue(packet.Topic, out byte[] retained))
                    {
                        // MQTT 3.1.1 §3.8.4: every SUBSCRIBE, a repeated one included, sends the retained message again.
                        client.FromBroker(new Packet { Kind = PacketKind.Publish, Topic = packet.Topic, Payload = retained, Qos = Math.Min(packet.Qos, 1), Retain = true, MessageId = NextId() }, AckDelayMs);
                    }

                    break;
                case PacketKind.Puback:
                    Pubacks++;
                    break;
                case PacketKind.PingReq:
                    client.FromBroker(new Packet { Kind = PacketKind.PingResp });
                    break;
            }
        }
    }

    internal enum PacketKind
    {
        Connack,
        Publish,
        Puback,
        Subscribe,
        Suback,
        PingReq,
        PingResp,
    }

    internal sealed class Packet
    {
        public PacketKind Kind;
        public string Topic;
        public byte[] Payload;
        public int Qos;
        public bool Retain;
        public bool Dup;
        public ushort MessageId;
        public int ReturnCode;
        public bool SessionPresent;
    }

    /// <summary>The managed heap as the receive thread sees it: an allocation larger than what is free throws.</summary>
    public static class BoardMemory
    {
        public static long FreeBytes = long.MaxValue;

        internal static void Allocate(long bytes)
        {
            if (bytes > FreeBytes)
            {
                throw new OutOfMemoryException();
            }
        }
    }
}
