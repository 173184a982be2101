using IotyDevice.Core;

namespace IotyDevice.Firmware
{
    /// <summary>Wires the device adapters (Firmware/Device) to the portable core (Firmware/Core). No logic lives
    /// here: everything the device does is in Core, where host tests exercise it.</summary>
    public class Program
    {
        public static void Main()
        {
            Wakeup wakeup = new Wakeup();
            DeviceOptions options = new DeviceOptions { Runtime = RuntimeInfo.Describe() };
            DevicePorts ports = new DevicePorts
            {
                Network = new WifiNetwork(wakeup),
                Mqtt = new M2MqttTransport(),
                Button = new GpioBootButton(wakeup, options.DebounceMs),
                Clock = new DeviceClock(),
                Monitor = new ConsoleMonitor(),
                Settings = new SettingsFile(@"I:\settings.json"),
                Light = new GpioStatusLight(),
                Pins = new GpioOutputPins(),
            };

            // Run never returns on the device. The lesson (Firmware/Lesson.cs) is the part to change.
            new Device(ports, options, wakeup, new Lesson()).Run();
        }
    }
}
