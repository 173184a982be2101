namespace IotyDevice.Core
{
    /// <summary>The one settings document (settings.json), as plain properties so nanoFramework.Json and
    /// System.Text.Json both fill it by name (case-sensitive). A property missing from the file keeps the
    /// default below; <see cref="SettingsValidator"/> checks everything once, before anything connects.</summary>
    public class DeviceSettings
    {
        /// <summary>The value of <see cref="CaCertificate"/> that selects the ISRG Root X1 built into the
        /// firmware (certs/isrg-root-x1.pem; HiveMQ Cloud chains to it).</summary>
        public const string BuiltInIsrgRootX1 = "isrg-root-x1";

        /// <summary>The value of <see cref="CaCertificate"/> that selects the CA bundle stored on the device
        /// (nanoff --networkdeployment).</summary>
        public const string DeviceCaStore = "device-store";

        /// <summary>Replaced by the chip ID in <see cref="StatusTopic"/>.</summary>
        public const string ClientIdPlaceholder = "{clientId}";

        /// <summary>The LED most ESP32 DevKits carry; also the light used while the settings are unusable.</summary>
        public const int DefaultStatusLedPin = 2;

        /// <summary>BOOT on ESP32 and ESP32-S3 boards; also the button used until the settings are read.</summary>
        public const int DefaultBootButtonPin = 0;

        public DeviceSettings()
        {
            BrokerPort = 8883;
            CaCertificate = BuiltInIsrgRootX1;
            ClientIdPrefix = "";
            StatusTopic = ClientIdPlaceholder + "/status";
            MonitorTopic = ClientIdPlaceholder + "/monitor";
            StatusLedPin = DefaultStatusLedPin;
            KeepAliveSeconds = 60;
            Chip = EspPins.Esp32;
            BootButtonPin = DefaultBootButtonPin;
        }

        public string WifiSsid { get; set; }
        public string WifiPassword { get; set; }

        public string BrokerHost { get; set; }
        public int BrokerPort { get; set; }
        public string BrokerUsername { get; set; }
        public string BrokerPassword { get; set; }

        /// <summary><see cref="BuiltInIsrgRootX1"/>, <see cref="DeviceCaStore"/>, or the path of a PEM file
        /// (on the device e.g. I:\my-ca.pem, copied with nanoff --filedeployment).</summary>
        public string CaCertificate { get; set; }

        /// <summary>Put before the chip ID to make the MQTT client ID, e.g. "class3-".</summary>
        public string ClientIdPrefix { get; set; }

        /// <summary>Where the device says "online" (retained) and its last will says "offline";
        /// "{clientId}" is replaced by the client ID. An empty string turns availability off.</summary>
        public string StatusTopic { get; set; }

        public int KeepAliveSeconds { get; set; }

        /// <summary>Which chip the board carries (<see cref="EspPins.Esp32"/>, <see cref="EspPins.Esp32S3"/>,
        /// <see cref="EspPins.Esp32C3"/>): the pins below are checked against that chip.</summary>
        public string Chip { get; set; }

        /// <summary>The GPIO of the button that publishes (active low, pulled up): BOOT is GPIO0 on ESP32 and
        /// ESP32-S3 boards, GPIO9 on ESP32-C3 boards.</summary>
        public int BootButtonPin { get; set; }

        /// <summary>The GPIO of the status light (a plain LED, high = on); <see cref="NoStatusLed"/> turns it off.</summary>
        public int StatusLedPin { get; set; }

        /// <summary>The value of <see cref="StatusLedPin"/> that means "no status light".</summary>
        public const int NoStatusLed = -1;


        /// <summary>Where every monitor line is also published (QoS 0, not retained), e.g. for an App Builder Display
        /// or the monitor command; "{clientId}" is replaced by the client ID. An empty string turns it off.</summary>
        public string MonitorTopic { get; set; }
    }
}
