using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

/// <summary>Who the board is on the broker: client ID, status topic, monitor topic.</summary>
public class PresenceTests
{
    private readonly FakeMqtt _mqtt = new() { IsConnected = true };
    private readonly Presence _presence;

    public PresenceTests()
    {
        var clock = new FakeClock();
        _presence = new Presence(new FakeNetwork(), new MonitorMirror(new RecordingMonitor(), clock, 4, 100, 200));
        Assert.True(_presence.TryChipId());
    }

    [Fact]
    public void Settings_without_a_monitor_topic_connect_with_the_mirror_off()
    {
        var settings = FakeSettings.Valid();
        settings.MonitorTopic = null;
        Assert.Equal("240ac412abfe", _presence.ConnectRequest(settings).ClientId);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void Without_a_status_topic_stopping_publishes_nothing(string statusTopic)
    {
        var settings = FakeSettings.Valid();
        settings.StatusTopic = statusTopic;
        _presence.ConnectRequest(settings);
        _presence.SayOffline(_mqtt);
        Assert.Empty(_mqtt.Publishes);
    }
}
