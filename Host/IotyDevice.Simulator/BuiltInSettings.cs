using IotyDevice.Core;

namespace IotyDevice.Simulator
{
    /// <summary>The settings document for the embedded broker, built in memory: the same DeviceSettings the
    /// firmware reads from settings.json, with everything else at the firmware's defaults (topic1, topic2, hello) and the simulated board's pins.</summary>
    internal sealed class BuiltInSettings : ISettingsSource
    {
        public const string WifiName = "simulated-wifi";

        private readonly int _port;
        private readonly DevCertificates _files;
        private readonly SimulatedBoard _board;

        public BuiltInSettings(int port, DevCertificates files, SimulatedBoard board)
        {
            _port = port;
            _files = files;
            _board = board;
        }

        public string Location { get { return "the simulator's built-in settings"; } }

        public bool HasFile(string path) { return System.IO.File.Exists(path); }

        public DeviceSettings Read(out string problem)
        {
            problem = null;
            return new DeviceSettings
            {
                WifiSsid = WifiName,
                WifiPassword = "", // an open network
                BrokerHost = "localhost",
                BrokerPort = _port,
                BrokerUsername = DevCertificates.UserName,
                BrokerPassword = _files.Password,
                CaCertificate = _files.CaPath,
                Chip = _board.Chip,
                BootButtonPin = _board.BootButtonPin,
                StatusLedPin = _board.StatusLedPin,
            };
        }
    }
}
