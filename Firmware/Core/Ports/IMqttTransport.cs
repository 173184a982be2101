namespace IotyDevice.Core
{
    /// <summary>What the core asks of an MQTT 3.1.1 client. The device adapter wraps M2Mqtt, the host adapter MQTTnet.
    /// A broker refusal is a result (<see cref="ConnectResult"/>); a transport fault (DNS, TCP, TLS, certificate,
    /// timeout) is a thrown <see cref="MqttTransportException"/>.</summary>
    public interface IMqttTransport
    {
        /// <summary>Opens TLS, sends CONNECT and waits for CONNACK. Blocks (bounded by the library's timeout).</summary>
        ConnectResult Connect(MqttConnectRequest request);

        /// <summary>Queues a SUBSCRIBE; returns at once.</summary>
        void Subscribe(string topic, int qos);

        /// <summary>Queues a PUBLISH; returns at once.</summary>
        void Publish(string topic, byte[] payload, int qos, bool retain);

        /// <summary>Closes the connection and frees its threads; swallows errors. Safe to call when not connected.</summary>
        void Close();

        /// <summary>Receives messages and connection loss. Called on the library's own threads, never on the main loop:
        /// the listener only records what happened.</summary>
        void SetListener(IMqttListener listener);
    }

    /// <summary>Callbacks from an <see cref="IMqttTransport"/>, raised on the transport's threads.</summary>
    public interface IMqttListener
    {
        /// <summary>A message arrived. <paramref name="qos"/> is the QoS it was delivered with: a QoS 1 or 2
        /// message may make this call wait for room in the inbox rather than be dropped.</summary>
        void OnMessage(string topic, byte[] payload, int qos);

        void OnConnectionClosed();
    }
}
