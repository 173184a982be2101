using System;
using System.IO;
using Board.Models;
using IotyDevice.Core;
using IotyDevice.Firmware;

namespace Board.Tests
{
    /// <summary>The firmware as Program.cs wires it, every port a board adapter of Firmware/Device running on the
    /// models, with settings.json in a temporary folder that stands for the board's storage.</summary>
    internal sealed class BoardRig : IDisposable
    {
        public readonly Lines Monitor = new Lines();
        public readonly Device Device;
        public readonly string SettingsPath;
        private readonly string _folder;

        public BoardRig(Action<DeviceSettings> change = null)
        {
            _folder = Path.Combine(Path.GetTempPath(), "board-tests-" + Guid.NewGuid().ToString("N"));
            Directory.CreateDirectory(_folder);
            SettingsPath = Path.Combine(_folder, "settings.json");
            var settings = new DeviceSettings
            {
                WifiSsid = BoardModels.Ssid,
                WifiPassword = BoardModels.WifiPassword,
                BrokerHost = BoardModels.Broker.HostName,
                BrokerUsername = BoardModels.Broker.Username,
                BrokerPassword = BoardModels.Broker.Password,
                MonitorTopic = "",
            };
            change?.Invoke(settings);
            File.WriteAllText(SettingsPath, System.Text.Json.JsonSerializer.Serialize(settings));

            var wakeup = new Wakeup();
            var options = new DeviceOptions { Random = new Random(7), Runtime = RuntimeInfo.Describe() }; // as Program.cs wires it
            Device = new Device(new DevicePorts
            {
                Network = new WifiNetwork(wakeup),
                Mqtt = new M2MqttTransport(),
                Button = new GpioBootButton(wakeup, options.DebounceMs),
                Clock = new DeviceClock(),
                Monitor = Monitor,
                Settings = new SettingsFile(SettingsPath),
                Light = new GpioStatusLight(),
                Pins = new GpioOutputPins(),
            }, options, wakeup);
            Device.Start();
        }

        /// <summary>Runs the main loop for <paramref name="ms"/> of board time, or until <paramref name="done"/>.</summary>
        public void Run(long ms, Func<bool> done = null)
        {
            long end = BoardTime.NowMs + ms;
            while (BoardTime.NowMs < end && (done == null || !done()))
            {
                BoardTime.Advance(Math.Min(Math.Max(Device.Step(), 1), end - BoardTime.NowMs));
            }
        }

        public void Dispose()
        {
            Directory.Delete(_folder, true);
        }
    }
}
