namespace IotyDevice.Core
{
    /// <summary>What the core asks of an MQTT 5 client. The device adapter wraps M2Mqtt, the host adapter MQTTnet.
    /// A broker refusal is a result (<see cref="ConnectResult"/>); a transport fault (DNS, TCP, TLS, certificate,
    /// timeout) is a thrown <see cref="MqttTransportException"/>.</summary>
    /// <remarks>Every connection the transport opens gets a number (<see cref="ConnectResult.Connection"/>), and
    /// every event says which connection it comes from: a late event of a connection the core has already closed
    /// must never be taken for news about the current one. Message ids are the transport's own tokens, unique
    /// among the calls in flight on one connection; the core only matches them with the events.</remarks>
    public interface IMqttTransport
    {
        /// <summary>Opens TLS, sends CONNECT and waits for CONNACK. Blocks (bounded by the library's timeout).</summary>
        ConnectResult Connect(MqttConnectRequest request);

        /// <summary>True while the current connection is open as far as the library knows. A silent loss (no FIN, no
        /// RST) keeps this true until the keepalive notices.</summary>
        bool IsConnected { get; }

        /// <summary>Queues a SUBSCRIBE and returns its message id; <see cref="IMqttListener.OnSubscribed"/> reports
        /// the SUBACK. Throws <see cref="MqttNotConnectedException"/> (having queued nothing) when not connected.</summary>
        int Subscribe(string topic, int qos);

        /// <summary>Queues a PUBLISH and returns its message id (0 for QoS 0, which is never confirmed);
        /// <see cref="IMqttListener.OnPublished"/> reports the PUBACK of a QoS 1/2 publish. Throws
        /// <see cref="MqttNotConnectedException"/> (having queued nothing) when not connected.</summary>
        int Publish(string topic, byte[] payload, int qos, bool retain);

        /// <summary>Closes the connection and frees its threads; swallows errors. Safe to call when not connected.</summary>
        void Close();

        /// <summary>Receives messages, acks and connection loss. Called on the library's own threads, never on the
        /// main loop: the listener only records what happened.</summary>
        void SetListener(IMqttListener listener);
    }

    /// <summary>Callbacks from an <see cref="IMqttTransport"/>, raised on the transport's threads.</summary>
    public interface IMqttListener
    {
        /// <summary>A message arrived. <paramref name="qos"/> is the QoS it was delivered with: a QoS 1 or 2
        /// message may make this call wait for room in the inbox rather than be dropped.</summary>
        void OnMessage(string topic, byte[] payload, int qos);

        /// <summary>The SUBACK for <paramref name="messageId"/>: the granted QoS (0..2), or
        /// <see cref="ConnectResult.SubscriptionRefused"/> (0x80) or above when the broker refused the topic.</summary>
        void OnSubscribed(int connection, int messageId, int grantedQos);

        /// <summary>The end of a QoS 1/2 publish: <paramref name="confirmed"/> when the broker acknowledged it,
        /// false when the library gave up on it (it may not have reached the broker).</summary>
        void OnPublished(int connection, int messageId, bool confirmed);

        /// <summary>The connection was lost (peer close, socket error, keepalive timeout). Not raised by
        /// <see cref="IMqttTransport.Close"/> nor by a failed <see cref="IMqttTransport.Connect"/>.</summary>
        void OnConnectionClosed(int connection);
    }
}
