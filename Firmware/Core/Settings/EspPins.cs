namespace IotyDevice.Core
{
    /// <summary>What each ESP32-family chip this firmware runs on allows on a GPIO: whether the pin exists,
    /// can be an input or an output, is wired to the module's flash, or is a strapping pin that the chip samples
    /// at reset. Pure data, from Espressif's sources (README "Boards and pins" names them): esp-idf
    /// components/soc/{chip}/include/soc/soc_caps.h (valid and output-capable GPIO masks),
    /// docs/en/api-reference/peripherals/gpio/{chip}.inc (flash, USB-JTAG and strapping pins) and esptool
    /// docs/en/advanced-topics/boot-mode-selection.rst (what a strapping level at reset does).</summary>
    public static class EspPins
    {
        public const string Esp32 = "esp32";
        public const string Esp32S3 = "esp32s3";
        public const string Esp32C3 = "esp32c3";

        /// <summary>Where the README explains which pin is which on each board.</summary>
        public const string BoardTable = "see \"Boards and pins\" in README.md";

        /// <summary>The values the Board setting takes, for messages.</summary>
        public const string KnownBoards = "\"" + Esp32 + "\", \"" + Esp32S3 + "\" or \"" + Esp32C3 + "\"";

        public static bool IsKnownBoard(string board)
        {
            return board == Esp32 || board == Esp32S3 || board == Esp32C3;
        }

        /// <summary>The chip's name as printed on boards and in Espressif's documents.</summary>
        public static string ChipName(string board)
        {
            if (board == Esp32S3)
            {
                return "ESP32-S3";
            }

            return board == Esp32C3 ? "ESP32-C3" : "ESP32";
        }

        /// <summary>The GPIO the board maker wires the BOOT button to (the chip's boot-mode strapping pin).</summary>
        public static int BootButtonPin(string board)
        {
            return board == Esp32C3 ? 9 : 0;
        }

        /// <summary>Why <paramref name="pin"/> cannot be used at all in that direction on that chip, or null.</summary>
        public static string Problem(string board, int pin, bool output)
        {
            string chip = ChipName(board);
            if (!Exists(board, pin))
            {
                return "GPIO" + pin.ToString() + " does not exist on an " + chip;
            }

            if (IsFlashPin(board, pin))
            {
                return "GPIO" + pin.ToString() + " is wired to the " + chip + " module's SPI flash; using it stops the board";
            }

            if (output && board == Esp32 && pin >= 34)
            {
                return "GPIO" + pin.ToString() + " is input-only on an ESP32 (GPIO34-39 cannot drive an LED)";
            }

            return null;
        }

        /// <summary>Why using <paramref name="pin"/> may surprise the learner though it works, or null: a strapping
        /// pin (its level at reset decides how the chip boots) or a pin the module or USB may already use.</summary>
        public static string Caution(string board, int pin)
        {
            if (board == Esp32)
            {
                if (pin == 0)
                {
                    return "a strapping pin: held low at reset the ESP32 starts in download mode instead of running the firmware";
                }

                if (pin == 2)
                {
                    return "a strapping pin: held high at reset it keeps the ESP32 out of download mode, so flashing fails";
                }

                if (pin == 12)
                {
                    return "a strapping pin: held high at reset it sets the flash to 1.8 V and a 3.3 V-flash board does not boot";
                }

                if (pin == 15)
                {
                    return "a strapping pin: held low at reset it silences the ESP32's boot messages";
                }

                if (pin == 5)
                {
                    return "a strapping pin: its level at reset is sampled by the ESP32 (datasheet, Strapping Pins)";
                }

                if (pin == 16 || pin == 17)
                {
                    return "wired to the PSRAM on ESP32-WROVER modules (free on WROOM modules)";
                }

                if (pin == 1 || pin == 3)
                {
                    return "the serial port's " + (pin == 1 ? "TX" : "RX") + " line, used for flashing and the debug connection";
                }

                return null;
            }

            if (board == Esp32S3)
            {
                if (pin == 0)
                {
                    return "a strapping pin: held low at reset the ESP32-S3 starts in download mode instead of running the firmware";
                }

                if (pin == 3 || pin == 45 || pin == 46)
                {
                    return "a strapping pin: its level at reset changes how the ESP32-S3 boots (datasheet, Strapping Pins)";
                }

                if (pin == 19 || pin == 20)
                {
                    return "the chip's USB D-/D+ line; using it disables the USB port's serial/JTAG";
                }

                if (pin >= 33 && pin <= 37)
                {
                    return "wired to the octal PSRAM/flash on ESP32-S3 boards with N8R8/N16R8 modules";
                }

                return null;
            }

            if (pin == 9)
            {
                return "a strapping pin: held low at reset the ESP32-C3 starts in download mode instead of running the firmware";
            }

            if (pin == 8)
            {
                return "a strapping pin: held low at reset while BOOT (GPIO9) is held, the ESP32-C3 does not enter download mode reliably";
            }

            if (pin == 2)
            {
                return "a strapping pin: its level at reset is sampled by the ESP32-C3 (datasheet, Strapping Pins)";
            }

            if (pin == 18 || pin == 19)
            {
                return "the chip's USB D-/D+ line; using it disables the USB port's serial/JTAG (the only USB port on a SuperMini)";
            }

            return null;
        }

        /// <summary>Why a plain LED on <paramref name="pin"/> may surprise the learner though it works, or null, as
        /// words after "GPIOn": a strapping pin other than where board makers put their LED, or a board's RGB LED.</summary>
        public static string LightCaution(string board, int pin)
        {
            // The LEDs board makers put on a strapping pin (GPIO2 on ESP32 DevKit V1, GPIO8 on ESP32-C3 SuperMini)
            // are wired so that they do not disturb the boot.
            if ((board == Esp32 && pin == 2) || (board == Esp32C3 && pin == 8))
            {
                return null;
            }

            if (board == Esp32S3 && (pin == 38 || pin == 48))
            {
                return "drives the ESP32-S3-DevKitC-1's RGB LED, which switching a pin cannot light; wire a plain LED to a free pin, or use -1 ("
                    + BoardTable + ")";
            }

            string caution = Caution(board, pin);
            return caution == null ? null : "is " + caution + "; an LED circuit there must not pull it at reset";
        }

        private static bool Exists(string board, int pin)
        {
            if (board == Esp32)
            {
                // esp-idf soc_caps.h (esp32): 0~39 valid except 20, 24, 28~31 (20 is absent from the pad list).
                return pin >= 0 && pin <= 39 && pin != 20 && pin != 24 && (pin < 28 || pin > 31);
            }

            if (board == Esp32S3)
            {
                // esp-idf soc_caps.h (esp32s3): 0~48 valid except 22~25.
                return pin >= 0 && pin <= 48 && (pin < 22 || pin > 25);
            }

            // esp-idf soc_caps.h (esp32c3): 22 pins, 0~21.
            return pin >= 0 && pin <= 21;
        }

        private static bool IsFlashPin(string board, int pin)
        {
            if (board == Esp32)
            {
                return pin >= 6 && pin <= 11;
            }

            if (board == Esp32S3)
            {
                return pin >= 26 && pin <= 32;
            }

            return pin >= 12 && pin <= 17;
        }
    }
}
