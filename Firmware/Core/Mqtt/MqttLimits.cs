namespace IotyDevice.Core
{
    /// <summary>The largest MQTT packet the board takes. M2Mqtt allocates a received packet at about twice its size on
    /// its receive thread, and an ESP32 without PSRAM has ~50-70 KB of managed heap in all: a bigger packet could
    /// end in an out-of-memory there, which the library does not treat as a loss. The device asks the broker for
    /// this limit, and the host transport and the simulator's broker enforce the same one.</summary>
    public static class MqttLimits
    {
        /// <summary>Whole packet: fixed header, topic, properties and payload.</summary>
        public const int MaxPacketBytes = 4096;
    }
}
