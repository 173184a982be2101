namespace IotyDevice.Core
{
    /// <summary>The adapters the core runs on; Program.cs (device) or the host fills them in.</summary>
    public class DevicePorts
    {
        public INetwork Network;
        public IMqttTransport Mqtt;
        public IButtonInput Button;
        public IClock Clock;
        public IMonitor Monitor;
        public ISettingsSource Settings;
        public IStatusLight Light; // null: no status LED

        /// <summary>Output pins the lesson switches; null on a device without any.</summary>
        public IOutputPins Pins;
    }
}
