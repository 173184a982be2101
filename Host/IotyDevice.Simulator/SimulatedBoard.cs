using System;
using IotyDevice.Core;

namespace IotyDevice.Simulator
{
    /// <summary>The board the simulator pretends to be (--board): only what it says about the chip, the image nanoff
    /// would pick for it and its pins, and the pins its built-in settings use. The core that runs is the same for every
    /// board. Values are those of the README's "Boards and pins" table (Espressif's DevKits).</summary>
    internal sealed class SimulatedBoard
    {
        public readonly string Chip;
        public readonly string Image;
        public readonly int BootButtonPin;
        public readonly int StatusLedPin;
        private readonly string _led;

        private SimulatedBoard(string board, string image, int statusLedPin, string led)
        {
            Chip = board;
            Image = image;
            BootButtonPin = EspPins.BootButtonPin(board);
            StatusLedPin = statusLedPin;
            _led = led;
        }

        /// <summary>The board for a --board value, or null when the simulator does not know it.</summary>
        public static SimulatedBoard For(string board)
        {
            if (board == EspPins.Esp32)
            {
                return new SimulatedBoard(board, "ESP32_REV0", 2, "status light GPIO2, the blue LED of an ESP32 DevKit V1");
            }

            if (board == EspPins.Esp32S3)
            {
                return new SimulatedBoard(board, "ESP32_S3_OCTAL", DeviceSettings.NoStatusLed, "no status light: the DevKitC-1's LED is RGB, not a plain GPIO");
            }

            if (board == EspPins.Esp32C3)
            {
                return new SimulatedBoard(board, "ESP32_C3", 8, "status light GPIO8, the blue LED of an ESP32-C3 SuperMini");
            }

            return null;
        }

        /// <summary>This board with the status light on <paramref name="pin"/> (--status-led), or none for -1: the pin
        /// is then free for the lesson's board.DigitalWrite, as with "StatusLedPin": -1 in settings.json.</summary>
        public SimulatedBoard WithStatusLed(int pin)
        {
            return new SimulatedBoard(Chip, Image, pin, pin == DeviceSettings.NoStatusLed
                ? "no status light (--status-led -1)"
                : "status light GPIO" + pin.ToString() + " (--status-led)");
        }

        /// <summary>The [sim] line that introduces the board.</summary>
        public string Line(byte[] mac)
        {
            return "board: a simulated " + EspPins.ChipName(Chip) + " (nanoff would flash " + Image + "; BOOT GPIO" + BootButtonPin.ToString()
                + ", " + _led + ") with the made-up WiFi MAC " + BitConverter.ToString(mac).Replace('-', ':').ToLowerInvariant()
                + " and simulated WiFi (any network name joins); Enter = a BOOT press";
        }
    }
}
