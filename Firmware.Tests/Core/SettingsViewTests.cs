using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

/// <summary>board.Settings: what a lesson reads of settings.json, each property the setting of its name.</summary>
public class SettingsViewTests
{
    [Fact]
    public void Each_property_a_lesson_reads_is_the_setting_of_that_name()
    {
        var settings = FakeSettings.Valid();
        settings.BrokerPort = 8884;
        settings.ClientIdPrefix = "lab-";
        settings.StatusTopic = "lab/{clientId}/status";
        settings.MonitorTopic = "lab/{clientId}/monitor";
        settings.Chip = EspPins.Esp32C3;
        settings.BootButtonPin = 9;
        settings.StatusLedPin = 8;

        var view = new SettingsView(settings);

        Assert.Equal("ClassroomWiFi", view.WifiSsid);
        Assert.Equal("abc123.s1.eu.hivemq.cloud", view.BrokerHost);
        Assert.Equal(8884, view.BrokerPort);
        Assert.Equal("lab-", view.ClientIdPrefix);
        Assert.Equal("lab/{clientId}/status", view.StatusTopic);
        Assert.Equal("lab/{clientId}/monitor", view.MonitorTopic);
        Assert.Equal("esp32c3", view.Chip);
        Assert.Equal(9, view.BootButtonPin);
        Assert.Equal(8, view.StatusLedPin);
    }

    [Fact]
    public void A_lesson_cannot_read_either_password()
    {
        // What a lesson prints is published on the monitor topic.
        var names = typeof(SettingsView).GetProperties().Select(p => p.Name).ToList();
        Assert.DoesNotContain(names, n => n.Contains("Password"));
    }
}
