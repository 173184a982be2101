using System.Text;
using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

/// <summary>The status LED's patterns, driven by the fake clock.</summary>
public class StatusLightTests
{
    private readonly FakeClock _clock = new();
    private readonly FakeLight _led;
    private readonly StatusLight _light;

    public StatusLightTests()
    {
        _led = new FakeLight(_clock);
        _light = new StatusLight(_led, _clock);
    }

    /// <summary>Shows the state each ms for <paramref name="ms"/> and returns the lit/dark run lengths seen.</summary>
    private List<(bool On, long Ms)> Runs(ConnectionState state, long ms, int pin = 2)
    {
        long start = _clock.NowMs;
        int from = _led.Switches.Count;
        while (_clock.NowMs < start + ms)
        {
            _light.Show(state, pin);
            _clock.Advance(1);
        }

        var switches = _led.Switches.Skip(from).ToList();
        var runs = new List<(bool, long)>();
        for (int i = 0; i + 1 < switches.Count; i++)
            runs.Add((switches[i].On, switches[i + 1].AtMs - switches[i].AtMs));
        return runs;
    }

    [Fact]
    public void Invalid_settings_blink_fast()
    {
        var runs = Runs(ConnectionState.SettingsInvalid, 1000);
        Assert.Equal(9, runs.Count);
        Assert.All(runs, r => Assert.Equal(100, r.Ms));
        Assert.True(runs[0].On);
    }

    [Fact]
    public void Joining_wifi_blinks_slowly()
    {
        var runs = Runs(ConnectionState.JoiningWifi, 3000);
        Assert.Equal(new[] { (true, 500L), (false, 500L), (true, 500L), (false, 500L), (true, 500L) }, runs);
    }

    [Theory]
    [InlineData(ConnectionState.WaitingForClock)]
    [InlineData(ConnectionState.ConnectingMqtt)]
    public void Waiting_for_the_clock_or_connecting_mqtt_double_blinks(ConnectionState state)
    {
        var runs = Runs(state, 2000);
        Assert.Equal(new[] { (true, 100L), (false, 150L), (true, 100L), (false, 650L), (true, 100L), (false, 150L), (true, 100L) }, runs);
    }

    [Fact]
    public void Online_is_steady_on_and_never_switches_again()
    {
        Runs(ConnectionState.Online, 5000);
        Assert.Equal((2, true), (_led.Switches.Single().Pin, _led.Switches.Single().On));
        Assert.Equal(int.MaxValue, _light.Show(ConnectionState.Online, 2));
    }

    [Fact]
    public void A_message_is_one_short_off_blink_and_a_press_two()
    {
        Runs(ConnectionState.Online, 10);
        _light.MessageReceived();
        var message = Runs(ConnectionState.Online, 500);
        Assert.Equal(new[] { (false, 80L) }, message);
        Assert.True(_led.IsOn);

        _light.PressSent();
        var press = Runs(ConnectionState.Online, 500);
        Assert.Equal(new[] { (false, 80L), (true, 80L), (false, 80L) }, press);
        Assert.True(_led.IsOn);
    }

    [Fact]
    public void It_says_when_it_next_changes_so_the_loop_sleeps_until_then()
    {
        Assert.Equal(500, _light.Show(ConnectionState.JoiningWifi, 2));
        _clock.Advance(120);
        Assert.Equal(380, _light.Show(ConnectionState.JoiningWifi, 2));
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Before_the_device_starts_the_light_is_driven_dark_and_stays_so(int pin)
    {
        Assert.Equal(int.MaxValue, _light.Show(ConnectionState.NotStarted, pin));
        Assert.Equal(new[] { (pin, false) }, _led.Switches.Select(s => (s.Pin, s.On)));
    }

    [Fact]
    public void A_new_blink_pattern_starts_at_its_beginning()
    {
        _clock.Advance(1000);
        Assert.Equal(500, _light.Show(ConnectionState.JoiningWifi, 2));
        _clock.Advance(300);
        Assert.Equal(100, _light.Show(ConnectionState.ConnectingMqtt, 2)); // the first lit 100 ms of the double blink
        Assert.True(_led.IsOn);
    }

    [Fact]
    public void During_a_flash_it_says_when_the_flash_ends()
    {
        _light.Show(ConnectionState.Online, 2);
        _light.MessageReceived();
        _clock.Advance(30);
        Assert.Equal(50, _light.Show(ConnectionState.Online, 2));
        Assert.False(_led.IsOn);
    }

    [Fact]
    public void Gpio_0_is_a_light_pin_like_any_other_and_is_left_dark_when_the_pin_changes()
    {
        _light.Show(ConnectionState.Online, 0);
        _light.Show(ConnectionState.Online, 5);
        Assert.Equal(new[] { (0, true), (0, false), (5, true) }, _led.Switches.Select(s => (s.Pin, s.On)));
    }

    [Fact]
    public void A_light_moved_to_no_pin_and_back_is_driven_again()
    {
        _light.Show(ConnectionState.Online, 2);
        _light.Show(ConnectionState.Online, -1);
        _light.Show(ConnectionState.JoiningWifi, -1);
        _light.Show(ConnectionState.Online, 2);
        Assert.Equal(new[] { (2, true), (2, false), (2, true) }, _led.Switches.Select(s => (s.Pin, s.On)));
    }

    [Fact]
    public void Pin_minus_one_switches_nothing_and_a_new_pin_leaves_the_old_one_dark()
    {
        Runs(ConnectionState.Online, 10, pin: 2);
        Runs(ConnectionState.Online, 10, pin: 5);
        Assert.Equal(new[] { (2, true), (2, false), (5, true) }, _led.Switches.Select(s => (s.Pin, s.On)));
        Runs(ConnectionState.JoiningWifi, 2000, pin: -1);
        Assert.Equal((5, false), (_led.Switches[^1].Pin, _led.Switches[^1].On));
        Assert.Equal(4, _led.Switches.Count);
    }

    [Fact]
    public void The_device_drives_the_light_from_its_state_on_the_settings_pin()
    {
        var rig = new DeviceRig();
        var led = new FakeLight(rig.Clock);
        rig.Light = led;
        rig.Settings.Settings.StatusLedPin = 4;
        rig.Mqtt.NextConnect(ConnectResult.BadUsernameOrPassword);
        rig.StartOnline();
        Assert.Equal(4, led.Switches[0].Pin);
        Assert.True(led.Switches.Count(s => !s.On) >= 2, "it blinked while connecting");
        Assert.True(led.IsOn);

        int before = led.Switches.Count;
        rig.Receive("topic1", "on");
        rig.Hold(200);
        Assert.Equal(new[] { false, true }, led.Switches.Skip(before).Select(s => s.On));

        before = led.Switches.Count;
        rig.Press();
        rig.Hold(300);
        Assert.Equal(new[] { false, true, false, true }, led.Switches.Skip(before).Select(s => s.On));
        Assert.Equal(1, rig.Monitor.Count("BOOT: sent hello"));
    }

    [Fact]
    public void With_invalid_settings_the_light_blinks_fast_on_gpio2_and_the_loop_wakes_for_it()
    {
        var rig = new DeviceRig();
        var led = new FakeLight(rig.Clock);
        rig.Light = led;
        rig.Settings.Settings.BrokerPort = 0;
        rig.Start();
        int wait = rig.Device.Step();
        Assert.True(wait <= 100, "the loop sleeps at most until the next blink, not " + wait + " ms");
        Assert.All(led.Switches, s => Assert.Equal(DeviceSettings.DefaultStatusLedPin, s.Pin));
    }
}
