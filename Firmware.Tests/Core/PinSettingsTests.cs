using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

/// <summary>Board, BootButtonPin and StatusLedPin: valid, impossible (refused, naming the README's board table) and
/// strapping (a warning, never a refusal), per chip.</summary>
public class PinSettingsTests
{
    private static DeviceSettings With(Action<DeviceSettings> change)
    {
        var settings = FakeSettings.Valid();
        change(settings);
        return settings;
    }

    private static List<string> Problems(Action<DeviceSettings> change) =>
        SettingsValidator.Validate(With(change)).Cast<string>().ToList();

    private static List<string> Warnings(Action<DeviceSettings> change)
    {
        var settings = With(change);
        Assert.Empty(SettingsValidator.Validate(settings).Cast<string>()); // warnings are only for accepted settings
        return SettingsValidator.Warnings(settings).Cast<string>().ToList();
    }

    [Fact]
    public void Defaults_are_the_esp32_devkit_boot_button_and_led()
    {
        var settings = new DeviceSettings();
        Assert.Equal("esp32", settings.Chip);
        Assert.Equal(0, settings.BootButtonPin);
        Assert.Equal(2, settings.StatusLedPin);
        Assert.Empty(Warnings(_ => { }));
    }

    [Theory]
    [InlineData("esp32", 0, 2)]   // ESP32 DevKit V1: BOOT GPIO0, blue LED GPIO2
    [InlineData("esp32", 0, -1)]  // ESP32-DevKitC: no user LED
    [InlineData("esp32s3", 0, 4)] // ESP32-S3-DevKitC-1 with an LED on a free pin
    [InlineData("esp32c3", 9, 8)] // ESP32-C3 SuperMini: BOOT GPIO9, blue LED GPIO8
    [InlineData("esp32", 4, 23)]
    public void Each_boards_own_pins_are_accepted_without_warnings(string board, int button, int led)
    {
        Assert.Empty(Warnings(s => { s.Chip = board; s.BootButtonPin = button; s.StatusLedPin = led; }));
    }

    [Theory]
    [InlineData("esp32", 6, "BootButtonPin: GPIO6 is wired to the ESP32 module's SPI flash")]
    [InlineData("esp32", 24, "BootButtonPin: GPIO24 does not exist on an ESP32")]
    [InlineData("esp32", 40, "BootButtonPin: GPIO40 does not exist on an ESP32")]
    [InlineData("esp32", -1, "BootButtonPin: GPIO-1 does not exist on an ESP32")]
    [InlineData("esp32s3", 23, "BootButtonPin: GPIO23 does not exist on an ESP32-S3")]
    [InlineData("esp32s3", 30, "BootButtonPin: GPIO30 is wired to the ESP32-S3 module's SPI flash")]
    [InlineData("esp32c3", 22, "BootButtonPin: GPIO22 does not exist on an ESP32-C3")]
    [InlineData("esp32c3", 14, "BootButtonPin: GPIO14 is wired to the ESP32-C3 module's SPI flash")]
    public void A_button_pin_that_cannot_be_an_input_is_refused_naming_the_board_table(string board, int pin, string start)
    {
        var problem = Assert.Single(Problems(s => { s.Chip = board; s.BootButtonPin = pin; }));
        Assert.StartsWith(start, problem);
        Assert.Contains(EspPins.BoardTable, problem);
    }

    [Theory]
    [InlineData(34)]
    [InlineData(39)]
    public void An_esp32_input_only_pin_is_refused_for_the_light_but_fine_for_the_button(int pin)
    {
        var problem = Assert.Single(Problems(s => s.StatusLedPin = pin));
        Assert.StartsWith("StatusLedPin: GPIO" + pin + " is input-only on an ESP32", problem);
        Assert.Contains("-1 for no status light", problem);
        Assert.Empty(Problems(s => s.BootButtonPin = pin));
    }

    [Theory]
    [InlineData("esp32", 20)]   // the gaps in the ESP32's pad list (esp-idf soc_caps.h)
    [InlineData("esp32", 24)]
    [InlineData("esp32", 28)]
    [InlineData("esp32", 29)]
    [InlineData("esp32", 30)]
    [InlineData("esp32", 31)]
    [InlineData("esp32", 40)]
    [InlineData("esp32s3", -1)]
    [InlineData("esp32s3", 22)]
    [InlineData("esp32s3", 25)]
    [InlineData("esp32s3", 49)]
    [InlineData("esp32c3", -1)]
    public void A_pin_the_chip_does_not_have_is_refused(string board, int pin)
    {
        Assert.StartsWith("GPIO" + pin + " does not exist on an ", EspPins.Problem(board, pin, output: false));
    }

    [Theory]
    [InlineData("esp32", 6)]
    [InlineData("esp32", 11)]
    [InlineData("esp32s3", 26)]
    [InlineData("esp32s3", 32)]
    [InlineData("esp32c3", 12)]
    [InlineData("esp32c3", 17)]
    public void The_first_and_last_flash_pins_are_refused(string board, int pin)
    {
        Assert.Contains("module's SPI flash", EspPins.Problem(board, pin, output: false));
    }

    [Theory]
    [InlineData("esp32", 5)]
    [InlineData("esp32", 12)]
    [InlineData("esp32", 19)]
    [InlineData("esp32", 21)]
    [InlineData("esp32", 23)]
    [InlineData("esp32", 25)]
    [InlineData("esp32", 27)]
    [InlineData("esp32", 32)]
    [InlineData("esp32", 39)]
    [InlineData("esp32s3", 0)]
    [InlineData("esp32s3", 21)]
    [InlineData("esp32s3", 33)]
    [InlineData("esp32s3", 48)]
    [InlineData("esp32c3", 11)]
    [InlineData("esp32c3", 18)]
    [InlineData("esp32c3", 21)]
    public void The_pins_next_to_a_gap_or_the_flash_are_usable_as_inputs(string board, int pin)
    {
        Assert.Null(EspPins.Problem(board, pin, output: false));
    }

    [Fact]
    public void An_input_only_pin_on_the_esp32_is_an_output_on_the_esp32_s3()
    {
        Assert.Empty(Problems(s => { s.Chip = "esp32s3"; s.StatusLedPin = 34; s.BootButtonPin = 0; }));
    }

    [Fact]
    public void A_c3_learner_who_left_board_at_esp32_is_told_to_set_it()
    {
        var problem = Assert.Single(Problems(s => s.BootButtonPin = 9)); // GPIO9 is flash on an ESP32
        Assert.Contains("if your board is an ESP32-S3 or ESP32-C3, set Chip", problem);
    }

    [Fact]
    public void The_light_off_needs_no_pin()
    {
        Assert.Empty(Problems(s => s.StatusLedPin = -1));
    }

    [Fact]
    public void The_light_and_the_button_cannot_share_a_pin()
    {
        var problem = Assert.Single(Problems(s => { s.BootButtonPin = 4; s.StatusLedPin = 4; }));
        Assert.StartsWith("StatusLedPin: GPIO4 is already BootButtonPin", problem);
    }

    [Theory]
    [InlineData("esp8266")]
    [InlineData("ESP32")]
    [InlineData("")]
    [InlineData(null)]
    public void An_unknown_board_is_refused_with_the_three_choices(string board)
    {
        var problem = Assert.Single(Problems(s => s.Chip = board));
        Assert.StartsWith("Chip: ", problem);
        Assert.Contains("\"esp32\", \"esp32s3\" or \"esp32c3\"", problem);
    }

    [Theory]
    [InlineData("esp32", 12, "1.8 V")]
    [InlineData("esp32", 2, "download mode")]
    [InlineData("esp32", 15, "boot messages")]
    [InlineData("esp32s3", 46, "strapping pin")]
    [InlineData("esp32c3", 8, "download mode")]
    [InlineData("esp32c3", 2, "strapping pin")]
    public void A_button_on_a_strapping_pin_is_accepted_with_a_warning_saying_what_reset_does(string board, int pin, string effect)
    {
        var warning = Assert.Single(Warnings(s => { s.Chip = board; s.BootButtonPin = pin; s.StatusLedPin = -1; }));
        Assert.StartsWith("BootButtonPin: GPIO" + pin + " is a strapping pin: ", warning);
        Assert.Contains(effect, warning);
        Assert.EndsWith("board is GPIO" + EspPins.BootButtonPin(board), warning);
    }

    [Theory]
    [InlineData("esp32", 0, "a strapping pin: held low at reset the ESP32 starts in download mode instead of running the firmware")]
    [InlineData("esp32", 5, "a strapping pin: its level at reset is sampled by the ESP32 (datasheet, Strapping Pins)")]
    [InlineData("esp32", 16, "wired to the PSRAM on ESP32-WROVER modules (free on WROOM modules)")]
    [InlineData("esp32", 17, "wired to the PSRAM on ESP32-WROVER modules (free on WROOM modules)")]
    [InlineData("esp32", 1, "the serial port's TX line, used for flashing and the debug connection")]
    [InlineData("esp32", 3, "the serial port's RX line, used for flashing and the debug connection")]
    [InlineData("esp32s3", 0, "a strapping pin: held low at reset the ESP32-S3 starts in download mode instead of running the firmware")]
    [InlineData("esp32s3", 3, "a strapping pin: its level at reset changes how the ESP32-S3 boots (datasheet, Strapping Pins)")]
    [InlineData("esp32s3", 45, "a strapping pin: its level at reset changes how the ESP32-S3 boots (datasheet, Strapping Pins)")]
    [InlineData("esp32s3", 33, "wired to the octal PSRAM/flash on ESP32-S3 boards with N8R8/N16R8 modules")]
    [InlineData("esp32s3", 35, "wired to the octal PSRAM/flash on ESP32-S3 boards with N8R8/N16R8 modules")]
    [InlineData("esp32s3", 37, "wired to the octal PSRAM/flash on ESP32-S3 boards with N8R8/N16R8 modules")]
    [InlineData("esp32c3", 9, "a strapping pin: held low at reset the ESP32-C3 starts in download mode instead of running the firmware")]
    public void Each_caution_says_what_the_pin_is_wired_to_or_what_reset_does_with_it(string board, int pin, string caution)
    {
        Assert.Equal(caution, EspPins.Caution(board, pin));
    }

    [Theory]
    [InlineData("esp32", 4)]
    [InlineData("esp32", 18)]
    [InlineData("esp32s3", 32)]
    [InlineData("esp32s3", 38)]
    [InlineData("esp32s3", 44)]
    [InlineData("esp32c3", 10)]
    public void An_ordinary_pin_has_no_caution(string board, int pin)
    {
        Assert.Null(EspPins.Caution(board, pin));
    }

    [Fact]
    public void A_light_on_a_strapping_pin_gets_the_caution_and_what_the_led_circuit_must_not_do()
    {
        Assert.Equal("is a strapping pin: its level at reset is sampled by the ESP32 (datasheet, Strapping Pins); "
            + "an LED circuit there must not pull it at reset", EspPins.LightCaution("esp32", 5));
        Assert.Null(EspPins.LightCaution("esp32", 4));
    }

    [Fact]
    public void A_light_on_the_s3_devkits_rgb_led_pin_names_the_board_table()
    {
        Assert.Equal("drives the ESP32-S3-DevKitC-1's RGB LED, which switching a pin cannot light; wire a plain LED to a free pin, "
            + "or use -1 (see \"Boards and pins\" in README.md)", EspPins.LightCaution("esp32s3", 48));
    }

    [Fact]
    public void A_light_on_a_strapping_pin_is_accepted_with_a_warning()
    {
        var warning = Assert.Single(Warnings(s => s.StatusLedPin = 12));
        Assert.StartsWith("StatusLedPin: GPIO12 is a strapping pin: held high at reset", warning);
    }

    [Fact]
    public void The_c3s_gpio0_is_an_ordinary_pin_but_not_its_boot_button()
    {
        var warning = Assert.Single(Warnings(s => { s.Chip = "esp32c3"; s.BootButtonPin = 0; s.StatusLedPin = -1; }));
        Assert.StartsWith("BootButtonPin: GPIO0 is not the BOOT button on an ESP32-C3 board; BOOT is GPIO9", warning);
    }

    [Theory]
    [InlineData("esp32c3", 18, 9)]
    [InlineData("esp32s3", 19, 0)]
    public void The_usb_pins_are_accepted_with_a_warning(string board, int led, int button)
    {
        var warning = Assert.Single(Warnings(s => { s.Chip = board; s.BootButtonPin = button; s.StatusLedPin = led; }));
        Assert.Contains("USB", warning);
    }

    [Theory]
    [InlineData(38)]
    [InlineData(48)]
    public void The_s3_devkits_rgb_led_is_accepted_with_a_warning_that_a_plain_pin_cannot_light_it(int pin)
    {
        var warning = Assert.Single(Warnings(s => { s.Chip = "esp32s3"; s.StatusLedPin = pin; }));
        Assert.Contains("RGB LED", warning);
    }

    [Fact]
    public void Pin_problems_are_listed_with_the_other_problems()
    {
        var problems = Problems(s => { s.BrokerPort = 0; s.BootButtonPin = 7; s.StatusLedPin = 36; });
        Assert.Equal(new[] { "BrokerPort:", "BootButtonPin:", "StatusLedPin:" }, problems.Select(p => p.Substring(0, p.IndexOf(':') + 1)));
    }

    [Fact]
    public void A_warning_is_printed_once_at_start_and_the_device_still_connects()
    {
        var rig = new DeviceRig();
        rig.Settings.Settings.BootButtonPin = 12;
        rig.Start();
        Assert.True(rig.RunUntil(() => rig.Device.State == ConnectionState.Online, 30_000));
        rig.RunUntil(() => false, 30_000);
        Assert.Equal(1, rig.Monitor.Count("Settings: warning: BootButtonPin: GPIO12 is a strapping pin"));
        Assert.Equal(ConnectionState.Online, rig.Device.State);
    }
}
