using System;

namespace IotyDevice.Core
{
    /// <summary>Everything a CONNECT needs, already validated by the core.</summary>
    public class MqttConnectRequest
    {
        public string Host;
        public int Port;
        public string ClientId;
        public string Username;
        public string Password;
        public bool CleanSession;
        public int KeepAliveSeconds;

        /// <summary>Which CA the broker's certificate must chain to: <see cref="DeviceSettings.BuiltInIsrgRootX1"/>,
        /// <see cref="DeviceSettings.DeviceCaStore"/>, or the path of a PEM file. Validation is never turned off.</summary>
        public string CaCertificate;

        /// <summary>The largest packet the broker may send (MQTT 5 Maximum Packet Size): bigger ones it must withhold.</summary>
        public int MaxPacketBytes = MqttLimits.MaxPacketBytes;

        /// <summary>How long the broker keeps a session that is not clean (MQTT 5 Session Expiry Interval; MQTT 3.1.1
        /// kept it for ever): a week, so a board back for next week's lesson still finds its QoS 1 messages, while a
        /// board that never returns does not hold the broker's memory for good.</summary>
        public int SessionExpirySeconds = 7 * 24 * 3600;

        /// <summary>Last-will topic, or null for no will.</summary>
        public string WillTopic;
        public byte[] WillPayload;
        public bool WillRetain;
        public int WillQos;
    }

    /// <summary>The broker's CONNACK answer. Code 0 accepts; 0x80 and up are MQTT 5's refusals (the board connects
    /// with MQTT 5); 1..5 are MQTT 3.1.1's, which a broker that only speaks 3.1.1 may still send.</summary>
    public class ConnectResult
    {
        public const int Accepted = 0;
        public const int UnacceptableProtocolVersion = 1;
        public const int IdentifierRejected = 2;
        public const int ServerUnavailable = 3;
        public const int BadUsernameOrPassword = 4;
        public const int NotAuthorized = 5;

        public const int UnsupportedProtocolVersion = 0x84;
        public const int ClientIdentifierNotValid = 0x85;
        public const int BadUsernameOrPassword5 = 0x86;
        public const int NotAuthorized5 = 0x87;
        public const int ServerUnavailable5 = 0x88;
        public const int ServerBusy = 0x89;
        public const int Banned = 0x8A;
        public const int QuotaExceeded = 0x97;
        public const int UseAnotherServer = 0x9C;
        public const int ServerMoved = 0x9D;
        public const int ConnectionRateExceeded = 0x9F;

        /// <summary>The lowest SUBACK code that refuses a subscription (0x80; MQTT 5 adds reasons above it).</summary>
        public const int SubscriptionRefused = 0x80;

        public readonly int Code;
        public readonly bool SessionPresent;

        /// <summary>The transport's number for this connection; its events carry it (see <see cref="IMqttTransport"/>).</summary>
        public readonly int Connection;

        public ConnectResult(int code, bool sessionPresent, int connection)
        {
            Code = code;
            SessionPresent = sessionPresent;
            Connection = connection;
        }

        public bool IsAccepted { get { return Code == Accepted; } }
    }

    /// <summary>The kinds of transport fault the core reports differently to the learner.</summary>
    public enum TransportFault
    {
        /// <summary>The broker host name did not resolve.</summary>
        HostNotFound = 0,
        /// <summary>TCP connect refused or unreachable.</summary>
        Unreachable = 1,
        /// <summary>The TLS handshake failed for a reason other than the certificate (e.g. plain TCP on the port).</summary>
        TlsHandshake = 2,
        /// <summary>The broker's certificate did not validate against the configured CA or host name.</summary>
        Certificate = 3,
        /// <summary>No answer in time (e.g. TLS to a plain MQTT port, or no CONNACK).</summary>
        Timeout = 4,
        /// <summary>Anything else.</summary>
        Other = 5,
        /// <summary>The broker (or something in between) closed the connection before its CONNACK arrived.</summary>
        ClosedBeforeConnack = 6,
        /// <summary>The MQTT library refused the request itself before sending it (e.g. M2Mqtt's WillWrong).</summary>
        Rejected = 7,
        /// <summary>A publish or subscribe was asked of a transport with no open connection; nothing was queued.</summary>
        NotConnected = 8,
    }

    /// <summary>A transport could not reach the point of a CONNACK. The message is for the monitor.</summary>
    public class MqttTransportException : Exception
    {
        public readonly TransportFault Fault;

        public MqttTransportException(TransportFault fault, string message, Exception inner)
            : base(message, inner)
        {
            Fault = fault;
        }
    }

    /// <summary>Thrown by Publish/Subscribe when there is no open connection: the work was not handed to the
    /// library, so the caller still owns it (M2Mqtt would queue it on a dead client and never send it).</summary>
    public class MqttNotConnectedException : MqttTransportException
    {
        public MqttNotConnectedException(string message)
            : base(TransportFault.NotConnected, message, null)
        {
        }
    }
}
