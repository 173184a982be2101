namespace IotyDevice.Core
{
    /// <summary>What the lesson decides (Firmware/Lesson.cs): which topics to subscribe to, what to do with a message,
    /// what to do on a BOOT press. Everything else (WiFi, TLS, reconnects, the inbox) is the device's. Every method
    /// runs on the main loop, never on the MQTT library's threads; an exception is caught and printed.</summary>
    public interface ILesson
    {
        /// <summary>The topic filters to subscribe to (QoS 1), asked once the settings are read and used after every connect.</summary>
        string[] Topics();

        /// <summary>One received message; messages arrive in order, one call each.</summary>
        void OnMessage(MqttMessage message, Board board);

        /// <summary>One debounced BOOT press (a button held through reset is ignored until released).</summary>
        void OnBootPress(Board board);
    }
}
