using System;

// The types of nanoframework/nanoFramework.m2mqtt v5.1.220 the adapter names (nanoFramework.M2Mqtt.Core/*.cs and
// M2Mqtt/Messages, M2Mqtt/Exceptions). Behaviour lives in MqttClient.cs of this folder.
namespace nanoFramework.M2Mqtt
{
    /// <summary>nanoFramework.M2Mqtt.Core/MqttSslProtocols.cs (lines 23-53).</summary>
    public enum MqttSslProtocols
    {
        None,
        SSLv3,
        TLSv1_0,
        TLSv1_1,
        TLSv1_2,
        TLSv1_3,
    }

    /// <summary>M2Mqtt/MqttClient.cs (lines 2770-2786).</summary>
    public enum MqttProtocolVersion
    {
        Version_3_1 = 0x03,
        Version_3_1_1 = 0x04,
        Version_5 = 0x05,
    }

    /// <summary>nanoFramework.M2Mqtt.Core/IMqttClient.cs: the event delegates (lines 132-172).</summary>
    public interface IMqttClient
    {
        public delegate void MqttMsgPublishEventHandler(object sender, Messages.MqttMsgPublishEventArgs e);

        public delegate void MqttMsgPublishedEventHandler(object sender, Messages.MqttMsgPublishedEventArgs e);

        public delegate void MqttMsgSubscribedEventHandler(object sender, Messages.MqttMsgSubscribedEventArgs e);

        public delegate void ConnectionClosedEventHandler(object sender, EventArgs e);
    }

    /// <summary>M2Mqtt/MqttSettings.cs: one shared instance (line 110); retries 3 × 1 s (lines 43-49); 30 s to wait for an
    /// answer (line 38).</summary>
    public class MqttSettings
    {
        public const int BrokerDefaultPort = 1883;
        public const int BrokerDefaultSslPort = 8883;
        public const int DefaultTimeout = 30_000;
        public const int MaximumAttemptsRetry = 3;
        public const int DefaultDelayRetry = 1_000;

        internal MqttSettings()
        {
        }

        public static MqttSettings Instance { get; } = new MqttSettings();

        public int AttemptsOnRetry { get; internal set; } = MaximumAttemptsRetry;

        public int DelayOnRetry { get; internal set; } = DefaultDelayRetry;

        public int TimeoutOnReceiving { get; internal set; } = DefaultTimeout;

        public bool ValidateServerCertificate { get; set; } = true;
    }
}

namespace nanoFramework.M2Mqtt.Messages
{
    /// <summary>nanoFramework.M2Mqtt.Core/Messages/MqttQoSLevel.cs (lines 9-29).</summary>
    public enum MqttQoSLevel : byte
    {
        AtMostOnce = 0x00,
        AtLeastOnce = 0x01,
        ExactlyOnce = 0x02,
        GrantedFailure = 0x80,
    }

    /// <summary>nanoFramework.M2Mqtt.Core/Messages/MqttReasonCode.cs: the values a 3.1.1 CONNACK can carry (lines 15,
    /// 150-162; upstream has many more, several sharing a number).</summary>
    public enum MqttReasonCode : byte
    {
        Success = 0x00,
        ConnectionRefusedUnacceptableProtocolVersion = 0x01,
        ConnectionRefusedIdentifierRejected = 0x02,
        ConnectionRefusedServerUnavailable = 0x03,
        ConnectionRefusedBadUserNameOrPassword = 0x04,
        ConnectionRefusedNotAuthorized = 0x05,
    }

    /// <summary>M2Mqtt/Messages/MqttMsgConnack.cs (lines 30-54).</summary>
    public class MqttMsgConnack
    {
        public bool SessionPresent { get; set; }

        public MqttReasonCode ReturnCode { get; set; }
    }

    /// <summary>M2Mqtt/Messages/ConnectionOpenedEventArgs.cs (lines 11-25).</summary>
    public class ConnectionOpenedEventArgs : EventArgs
    {
        public ConnectionOpenedEventArgs(MqttMsgConnack connact)
        {
            Message = connact;
        }

        public MqttMsgConnack Message { get; private set; }
    }

    /// <summary>nanoFramework.M2Mqtt.Core/Messages/MqttMsgPublishEventArgs.cs (lines 25-67).</summary>
    public class MqttMsgPublishEventArgs : EventArgs
    {
        public MqttMsgPublishEventArgs(string topic, byte[] message, bool dupFlag, MqttQoSLevel qosLevel, bool retain)
        {
            Topic = topic;
            Message = message;
            DupFlag = dupFlag;
            QosLevel = qosLevel;
            Retain = retain;
        }

        public string Topic { get; internal set; }

        public byte[] Message { get; internal set; }

        public bool DupFlag { get; internal set; }

        public MqttQoSLevel QosLevel { get; internal set; }

        public bool Retain { get; internal set; }
    }

    /// <summary>nanoFramework.M2Mqtt.Core/Messages/MqttMsgPublishedEventArgs.cs (lines 29-58).</summary>
    public class MqttMsgPublishedEventArgs : EventArgs
    {
        public MqttMsgPublishedEventArgs(ushort messageId, bool isPublished)
        {
            MessageId = messageId;
            IsPublished = isPublished;
        }

        public ushort MessageId { get; set; }

        public bool IsPublished { get; set; }
    }

    /// <summary>nanoFramework.M2Mqtt.Core/Messages/MqttMsgSubscribedEventArgs.cs (lines 25-46).</summary>
    public class MqttMsgSubscribedEventArgs : EventArgs
    {
        public MqttMsgSubscribedEventArgs(ushort messageId, MqttQoSLevel[] grantedQosLevels)
        {
            MessageId = messageId;
            GrantedQoSLevels = grantedQosLevels;
        }

        public ushort MessageId { get; internal set; }

        public MqttQoSLevel[] GrantedQoSLevels { get; internal set; }
    }
}

namespace nanoFramework.M2Mqtt.Exceptions
{
    /// <summary>M2Mqtt/Exceptions/MqttClientException.cs (lines 25-125).</summary>
    public class MqttClientException : Exception
    {
        public MqttClientException(MqttClientErrorCode errorCode)
        {
            ErrorCode = errorCode;
        }

        public MqttClientErrorCode ErrorCode { get; set; }
    }

    public enum MqttClientErrorCode
    {
        WillWrong = 1,
        KeepAliveWrong,
        TopicWildcard,
        TopicLength,
        QosNotAllowed,
        TopicsEmpty,
        QosLevelsEmpty,
        TopicsQosLevelsNotMatch,
        WrongBrokerMessage,
        WrongMessageId,
        InflightQueueFull,
        InvalidFlagBits,
        InvalidConnectFlags,
        InvalidClientId,
        InvalidProtocolName,
    }

    /// <summary>M2Mqtt/Exceptions/MqttCommunicationException.cs (lines 25-43).</summary>
    public class MqttCommunicationException : Exception
    {
        public MqttCommunicationException()
        {
        }

        public MqttCommunicationException(Exception e)
            : base(string.Empty, e)
        {
        }
    }

    /// <summary>M2Mqtt/Exceptions/MqttConnectionException.cs (lines 25-37).</summary>
    public class MqttConnectionException : Exception
    {
        public MqttConnectionException(string message, Exception innerException)
            : base(message, innerException)
        {
        }
    }
}
