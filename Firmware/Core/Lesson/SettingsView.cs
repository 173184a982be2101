namespace IotyDevice.Core
{
    /// <summary>What a lesson may read of settings.json (board.Settings): the environment it runs in, without the
    /// WiFi and broker passwords (a lesson's board.Print is published on the monitor topic).</summary>
    public class SettingsView
    {
        private readonly DeviceSettings _settings;

        public SettingsView(DeviceSettings settings)
        {
            _settings = settings;
        }

        public string WifiSsid { get { return _settings.WifiSsid; } }

        public string BrokerHost { get { return _settings.BrokerHost; } }

        public int BrokerPort { get { return _settings.BrokerPort; } }

        public string ClientIdPrefix { get { return _settings.ClientIdPrefix; } }

        public string StatusTopic { get { return _settings.StatusTopic; } }

        public string MonitorTopic { get { return _settings.MonitorTopic; } }

        /// <summary>The board's chip: esp32, esp32s3 or esp32c3.</summary>
        public string Chip { get { return _settings.Chip; } }

        public int BootButtonPin { get { return _settings.BootButtonPin; } }

        public int StatusLedPin { get { return _settings.StatusLedPin; } }
    }
}
