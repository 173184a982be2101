using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

/// <summary>The connection state machine alone: no loop, no lesson; time is the fake clock, moved by the test.</summary>
public class BrokerConnectionTests
{
    private readonly FakeClock _clock = new();
    private readonly FakeNetwork _network = new();
    private readonly FakeMqtt _mqtt = new();
    private readonly RecordingMonitor _monitor = new();
    private readonly Events _events = new();
    private readonly DeviceOptions _options = new() { Random = new Random(7) };
    private readonly BrokerConnection _connection;

    public BrokerConnectionTests()
    {
        var mirror = new MonitorMirror(_monitor, _clock, 4, 100, 200);
        _connection = new BrokerConnection(_network, _mqtt, _clock, mirror, _options, new Presence(_network, mirror),
                                           new Inbox(4, 100), _events);
        _connection.Begin(FakeSettings.Valid());
    }

    private sealed class Events : IConnectionEvents
    {
        public List<string> Seen { get; } = new();
        public Exception OpenedFault { get; set; }

        public void Opened(int connection)
        {
            Seen.Add("opened " + connection);
            if (OpenedFault != null) throw OpenedFault;
        }

        public void Closing() => Seen.Add("closing");
    }

    /// <summary>Polls as the loop does: again at once while a step is due now, else after the time it asks for.</summary>
    private bool PollUntil(Func<bool> condition, long budgetMs = 600_000)
    {
        long end = _clock.NowMs + budgetMs;
        while (!condition())
        {
            if (_clock.NowMs > end) return false;
            _connection.Poll(_clock.NowMs);
            if (condition()) return true;
            _clock.Advance(Math.Clamp(_connection.MsUntilDue(_clock.NowMs), 1, _options.IdleWaitMs));
        }

        return true;
    }

    [Fact]
    public void Joins_wifi_then_connects_and_tells_the_loop_which_connection_opened()
    {
        Assert.Equal(ConnectionState.JoiningWifi, _connection.State);
        Assert.Equal(0, _connection.MsUntilDue(_clock.NowMs));

        Assert.True(PollUntil(() => _connection.State == ConnectionState.Online));

        Assert.Equal(new[] { "opened 1" }, _events.Seen);
        Assert.Equal(1, _connection.Number);
        Assert.True(_connection.IsUsable);
        Assert.Equal(long.MaxValue, _connection.MsUntilDue(_clock.NowMs)); // online: only an event changes anything
        Assert.Contains("WiFi: connected", _monitor.Lines);
        Assert.Contains("MQTT: connected (new session)", _monitor.Lines);
    }

    [Fact]
    public void Waits_for_network_time_before_connecting_and_says_so_once()
    {
        _clock.UtcNow = new DateTime(1970, 1, 1, 0, 0, 5, DateTimeKind.Utc);
        Assert.False(PollUntil(() => _mqtt.Connects.Count > 0, 10_000));
        Assert.Equal(ConnectionState.WaitingForClock, _connection.State);
        Assert.Equal(1, _monitor.Count("Clock: waiting for network time"));
        Assert.InRange(_connection.MsUntilDue(_clock.NowMs), 0, _options.ClockCheckMs);

        _clock.UtcNow = BrokerConnection.ClockValidFrom;
        Assert.True(PollUntil(() => _connection.State == ConnectionState.Online, 2_000));
    }

    [Fact]
    public void The_clock_check_deadline_holds_across_the_tick_counter_wrap()
    {
        _clock.UtcNow = new DateTime(1970, 1, 1, 0, 0, 5, DateTimeKind.Utc);
        _clock.NowMs = long.MaxValue - 200; // the next check, 500 ms on, lies past the wrap
        for (int i = 0; i < 3; i++) _connection.Poll(_clock.NowMs); // joins WiFi, then the first check (PollUntil's budget would wrap)
        Assert.Equal(ConnectionState.WaitingForClock, _connection.State);
        long checkedAt = _clock.NowMs;

        _clock.Advance(100);
        _connection.Poll(_clock.NowMs);
        Assert.Equal(_options.ClockCheckMs - 100, _connection.MsUntilDue(_clock.NowMs)); // not checked again early
        Assert.Equal(1, _monitor.Count("Clock: waiting for network time"));

        _clock.NowMs = checkedAt + _options.ClockCheckMs; // wrapped
        Assert.Equal(0, _connection.MsUntilDue(_clock.NowMs));
    }

    [Fact]
    public void A_refused_connect_backs_off_and_a_repeat_gets_the_short_line()
    {
        _mqtt.NextConnect(ConnectResult.BadUsernameOrPassword);
        _mqtt.NextConnect(ConnectResult.BadUsernameOrPassword);

        Assert.True(PollUntil(() => _connection.State == ConnectionState.WaitingToRetry));
        Assert.Equal(ConnectionState.ConnectingMqtt, _connection.Shown); // the light shows the step that failed
        long retryMs = _connection.MsUntilDue(_clock.NowMs);
        Assert.InRange(retryMs, _options.BackoffBaseMs / 10, _options.BackoffBaseMs);

        _clock.Advance(retryMs - 1);
        _connection.Poll(_clock.NowMs);
        Assert.Single(_mqtt.Connects); // not before its time

        Assert.True(PollUntil(() => _mqtt.Connects.Count == 3 && _connection.State == ConnectionState.Online));
        Assert.Equal(1, _monitor.Count("MQTT: refused: bad user name or password (code 4)"));
        Assert.Equal(1, _monitor.Count("MQTT: still failing the same way (2 tries)"));
    }

    [Fact]
    public void A_loss_counts_at_once_and_reconnects_after_a_backoff()
    {
        Assert.True(PollUntil(() => _connection.State == ConnectionState.Online));
        _mqtt.IsConnected = false;

        Assert.True(_connection.OnClosedByLibrary(1));
        Assert.False(_connection.IsUsable); // before any Poll: nothing more may be handed to the transport
        Assert.Equal(ConnectionState.Online, _connection.State);

        _connection.Poll(_clock.NowMs);
        Assert.Equal(ConnectionState.WaitingToRetry, _connection.State);
        Assert.Equal(new[] { "opened 1", "closing" }, _events.Seen);
        Assert.Contains("MQTT: connection lost; reconnecting", _monitor.Lines);

        Assert.True(PollUntil(() => _connection.State == ConnectionState.Online));
        Assert.Equal(2, _connection.Number);
        Assert.False(_connection.OnClosedByLibrary(1)); // late news of the connection left behind
        Assert.True(_connection.IsUsable);
    }

    [Fact]
    public void Wifi_gone_while_an_mqtt_retry_waits_rejoins_at_once()
    {
        _mqtt.NextConnect(ConnectResult.ServerUnavailable);
        Assert.True(PollUntil(() => _connection.State == ConnectionState.WaitingToRetry));

        _network.IsUp = false;
        _connection.Poll(_clock.NowMs);

        Assert.Equal(ConnectionState.JoiningWifi, _connection.State);
        Assert.Contains("WiFi: connection lost; reconnecting", _monitor.Lines);
    }

    [Fact]
    public void A_failure_after_opening_is_said_and_counts_as_a_loss()
    {
        _events.OpenedFault = new InvalidOperationException("socket closed");

        Assert.True(PollUntil(() => _connection.State == ConnectionState.Online));

        Assert.Contains("MQTT: subscribing failed (socket closed)", _monitor.Lines);
        Assert.False(_connection.IsUsable);
    }

    [Fact]
    public void A_deliberate_close_of_an_open_connection_waits_for_quiet_before_closing()
    {
        Assert.True(PollUntil(() => _connection.State == ConnectionState.Online));

        _connection.Close();
        Assert.Equal(0, _connection.Number);
        Assert.Equal(0, _mqtt.Closes);
        Assert.False(_connection.FinishClose(_clock.NowMs));

        _clock.Advance(_connection.MsUntilDue(_clock.NowMs));
        Assert.True(_connection.FinishClose(_clock.NowMs));
        Assert.Equal(1, _mqtt.Closes);
    }

    /// <summary>Always draws the top of the range: each backoff delay is its whole ceiling.</summary>
    private sealed class Top : Random
    {
        public override int Next(int maxValue) => maxValue - 1;
    }

    private BrokerConnection NewConnection(DeviceOptions options)
    {
        var mirror = new MonitorMirror(_monitor, _clock, 4, 100, 200);
        var connection = new BrokerConnection(_network, _mqtt, _clock, mirror, options, new Presence(_network, mirror), new Inbox(4, 100), _events);
        connection.Begin(FakeSettings.Valid());
        return connection;
    }

    private static void PollTimes(BrokerConnection connection, long now, int times)
    {
        for (int i = 0; i < times; i++) connection.Poll(now);
    }

    [Fact]
    public void Without_a_random_source_given_the_backoff_still_draws_its_delays()
    {
        var connection = NewConnection(new DeviceOptions());
        _mqtt.NextConnect(ConnectResult.ServerUnavailable);
        PollTimes(connection, _clock.NowMs, 4);
        Assert.Equal(ConnectionState.WaitingToRetry, connection.State);
        Assert.InRange(connection.MsUntilDue(_clock.NowMs), 100, 1000);
    }

    [Fact]
    public void The_backoff_draws_from_the_random_source_given_and_retries_exactly_at_its_deadline()
    {
        var connection = NewConnection(new DeviceOptions { Random = new Top() });
        _mqtt.NextConnect(ConnectResult.ServerUnavailable);
        PollTimes(connection, _clock.NowMs, 4);
        Assert.Equal("MQTT: next try in 1.0 s", _monitor.Lines.Last());

        _clock.Advance(999);
        connection.Poll(_clock.NowMs);
        Assert.Equal(ConnectionState.WaitingToRetry, connection.State);
        _clock.Advance(1);
        connection.Poll(_clock.NowMs);
        Assert.Equal(ConnectionState.ConnectingMqtt, connection.State);
    }

    [Fact]
    public void Each_step_says_what_it_does_word_for_word()
    {
        _mqtt.SessionPresent = true;
        Assert.True(PollUntil(() => _connection.State == ConnectionState.Online));
        Assert.Equal(new[]
        {
            "WiFi: connecting to ClassroomWiFi...",
            "WiFi: connected",
            "Chip ID: 240ac412abfe",
            "MQTT: connecting to abc123.s1.eu.hivemq.cloud:8883 as 240ac412abfe...",
            "MQTT: connected (session resumed: messages the broker kept will follow)",
        }, _monitor.Lines);
    }

    [Fact]
    public void With_wifi_already_up_it_goes_straight_to_waiting_for_the_clock()
    {
        _network.IsUp = true;
        _connection.Poll(_clock.NowMs);
        Assert.Equal(ConnectionState.WaitingForClock, _connection.State);
        Assert.Empty(_network.Joins);
        Assert.Empty(_monitor.Lines);
    }

    [Fact]
    public void The_pass_that_joins_wifi_moves_on_to_waiting_for_the_clock()
    {
        _connection.Poll(_clock.NowMs);
        Assert.Equal(ConnectionState.WaitingForClock, _connection.State);
    }

    [Fact]
    public void A_clock_at_exactly_the_first_valid_instant_lets_mqtt_connect()
    {
        _clock.UtcNow = BrokerConnection.ClockValidFrom;
        PollTimes(_connection, _clock.NowMs, 2);
        Assert.Equal(ConnectionState.ConnectingMqtt, _connection.State);
        Assert.Equal(0, _monitor.Count("Clock: waiting"));
    }

    [Fact]
    public void Wifi_lost_while_waiting_for_the_clock_rejoins_wifi()
    {
        _clock.UtcNow = new DateTime(1970, 1, 1, 0, 0, 5, DateTimeKind.Utc);
        PollTimes(_connection, _clock.NowMs, 2);
        Assert.Equal(ConnectionState.WaitingForClock, _connection.State);

        _network.IsUp = false;
        _connection.Poll(_clock.NowMs);
        Assert.Equal(ConnectionState.JoiningWifi, _connection.State);
        Assert.Equal("WiFi: connection lost; reconnecting", _monitor.Lines.Last());
    }

    [Fact]
    public void Wifi_lost_just_before_the_mqtt_connect_rejoins_wifi_without_connecting()
    {
        PollTimes(_connection, _clock.NowMs, 2);
        Assert.Equal(ConnectionState.ConnectingMqtt, _connection.State);

        _network.IsUp = false;
        _connection.Poll(_clock.NowMs);
        Assert.Equal(ConnectionState.JoiningWifi, _connection.State);
        Assert.Empty(_mqtt.Connects);
        Assert.Equal("WiFi: connection lost; reconnecting", _monitor.Lines.Last());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void A_connect_that_throws_closes_what_the_library_opened(bool transportFault)
    {
        _mqtt.NextConnect(transportFault
            ? new MqttTransportException(TransportFault.Unreachable, "refused", null)
            : new InvalidOperationException("bug"));
        Assert.True(PollUntil(() => _connection.State == ConnectionState.WaitingToRetry));
        Assert.Equal(1, _mqtt.Closes);
        Assert.Equal(new[] { "closing" }, _events.Seen);
    }

    [Fact]
    public void A_drop_says_the_mqtt_retry_delay_and_only_a_connection_up_for_the_stable_time_resets_the_backoff()
    {
        _clock.NowMs = 10_000_000;
        var connection = NewConnection(new DeviceOptions { Random = new Top() });
        _mqtt.NextConnect(ConnectResult.ServerUnavailable); // the first MQTT failure: 1 s
        PollTimes(connection, _clock.NowMs, 4);
        _clock.Advance(1000);
        PollTimes(connection, _clock.NowMs, 2);
        Assert.Equal(ConnectionState.Online, connection.State);

        _clock.Advance(1); // a quick drop: the backoff goes on growing
        _mqtt.IsConnected = false;
        connection.OnClosedByLibrary(connection.Number);
        connection.Poll(_clock.NowMs);
        Assert.Equal(new[] { "MQTT: connection lost; reconnecting", "MQTT: next try in 2.0 s" }, _monitor.Lines.TakeLast(2));

        _clock.Advance(2000);
        PollTimes(connection, _clock.NowMs, 2);
        Assert.Equal(ConnectionState.Online, connection.State);
        _clock.Advance(_options.StableConnectionMs); // up exactly the stable time: the next drop starts afresh
        _mqtt.IsConnected = false;
        connection.OnClosedByLibrary(connection.Number);
        connection.Poll(_clock.NowMs);
        Assert.Equal("MQTT: next try in 1.0 s", _monitor.Lines.Last());
    }
}
