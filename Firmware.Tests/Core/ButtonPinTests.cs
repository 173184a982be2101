using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

/// <summary>BootButtonPin reaches the button: the core opens the pin the settings name (GPIO9 on an ESP32-C3),
/// and the held-at-start rule applies to that pin.</summary>
public class ButtonPinTests
{
    [Fact]
    public void The_button_is_opened_on_the_default_pin_until_the_settings_name_another()
    {
        var rig = new DeviceRig();
        rig.Settings.Settings.Chip = EspPins.Esp32C3;
        rig.Settings.Settings.BootButtonPin = 9;
        rig.Settings.Settings.StatusLedPin = 8;
        rig.StartOnline();

        Assert.Equal(new[] { DeviceSettings.DefaultBootButtonPin, 9 }, rig.Button.OpenedPins);
        rig.Press();
        Assert.Single(rig.Mqtt.PublishedTexts("topic2"));
    }

    [Fact]
    public void With_the_default_pin_the_button_is_opened_once()
    {
        var rig = new DeviceRig().StartOnline();
        Assert.Equal(new[] { 0 }, rig.Button.OpenedPins);
    }

    [Fact]
    public void A_button_held_on_the_settings_pin_when_it_is_opened_counts_only_after_release()
    {
        var rig = new DeviceRig();
        rig.Settings.Settings.Chip = EspPins.Esp32C3;
        rig.Settings.Settings.BootButtonPin = 9;
        rig.Settings.Settings.StatusLedPin = 8;
        rig.Button.IsDown = true; // the level the adapter reads on whichever pin is open
        rig.StartOnline();
        rig.Hold(rig.Options.DebounceMs * 3);
        Assert.Empty(rig.Mqtt.PublishedTexts("topic2"));
        Assert.Contains("BOOT: held at start-up; ignored until released", rig.Monitor.Lines);

        rig.Button.IsDown = false;
        rig.Hold(rig.Options.DebounceMs + 5);
        rig.Press();
        Assert.Single(rig.Mqtt.PublishedTexts("topic2"));
    }

    [Fact]
    public void A_pin_that_cannot_be_opened_is_one_line_naming_the_setting_and_the_device_carries_on()
    {
        var rig = new DeviceRig();
        rig.Button.BrokenPins.Add(0);
        rig.StartOnline();
        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("BOOT: GPIO0 cannot be opened as an input (pin in use); check BootButtonPin", StringComparison.Ordinal));
    }

    private sealed class CountingLesson : ILesson
    {
        public int Presses;
        public string[] Topics() => new[] { "topic1" };
        public void OnMessage(MqttMessage message, Board board) { }
        public void OnBootPress(Board board) => Presses++;
    }

    [Fact]
    public void A_press_with_invalid_settings_never_reaches_the_lesson()
    {
        var lesson = new CountingLesson();
        var rig = new DeviceRig { Lesson = lesson };
        rig.Settings.Problem = "settings.json not found";
        rig.Start();
        rig.Press();
        Assert.Equal(1, rig.Monitor.Count("BOOT: pressed, but nothing can be sent until the settings are fixed (see above)"));
        Assert.Equal(0, lesson.Presses);
    }

    [Fact]
    public void A_press_made_before_the_button_is_opened_is_not_counted_even_without_debounce()
    {
        var lesson = new CountingLesson();
        var rig = new DeviceRig { Lesson = lesson };
        rig.Options.DebounceMs = 0;
        rig.Button.IsDown = true;
        rig.Button.IsDown = false;
        rig.StartOnline();
        rig.Hold(100);
        Assert.Equal(0, lesson.Presses);
    }
}
