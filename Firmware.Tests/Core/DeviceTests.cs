using System.Text;
using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

/// <summary>The whole device on fakes: time is advanced by the test, never slept.</summary>
public class DeviceTests
{
    private const string ChipIdOfFakeMac = "240ac412abfe";

    [Fact]
    public void It_joins_wifi_then_connects_mqtt_as_the_chip_id_and_subscribes_topic1()
    {
        var rig = new DeviceRig().StartOnline();

        Assert.Equal(("ClassroomWiFi", "wifi-secret-123"), Assert.Single(rig.Network.Joins));
        var connect = Assert.Single(rig.Mqtt.Connects);
        Assert.Equal(ChipIdOfFakeMac, connect.ClientId);
        Assert.Equal("abc123.s1.eu.hivemq.cloud", connect.Host);
        Assert.Equal(8883, connect.Port);
        Assert.Equal("student", connect.Username);
        Assert.Equal("broker-secret-456", connect.Password);
        Assert.Equal(DeviceSettings.BuiltInIsrgRootX1, connect.CaCertificate);
        Assert.False(connect.CleanSession);
        Assert.Equal(60, connect.KeepAliveSeconds);
        Assert.Equal(("topic1", 1), Assert.Single(rig.Mqtt.Subscribes));
        Assert.Contains("Chip ID: " + ChipIdOfFakeMac, rig.Monitor.Lines);
    }

    [Fact]
    public void The_runtime_the_board_reports_is_the_line_after_starting()
    {
        var rig = new DeviceRig();
        rig.Options.Runtime = "nanoFramework 1.17.0.32, image ESP32_REV0 (ESP32)";
        rig.Start();
        Assert.Equal(new[] { "IotyDevice: starting", "Runtime: nanoFramework 1.17.0.32, image ESP32_REV0 (ESP32)" }, rig.Monitor.Lines.Take(2));
    }

    [Fact]
    public void Without_a_runtime_description_no_runtime_line_is_printed()
    {
        var rig = new DeviceRig().StartOnline();
        Assert.DoesNotContain(rig.Monitor.Lines, l => l.StartsWith("Runtime:", StringComparison.Ordinal));
    }

    [Fact]
    public void The_client_id_prefix_goes_before_the_chip_id()
    {
        var rig = new DeviceRig();
        rig.Settings.Settings.ClientIdPrefix = "class3-";
        rig.StartOnline();
        Assert.Equal("class3-" + ChipIdOfFakeMac, rig.Mqtt.Connects[0].ClientId);
    }

    [Fact]
    public void It_announces_online_retained_with_an_offline_will_on_the_status_topic()
    {
        var rig = new DeviceRig().StartOnline();

        var connect = rig.Mqtt.Connects[0];
        Assert.Equal(ChipIdOfFakeMac + "/status", connect.WillTopic);
        Assert.Equal("offline", Encoding.UTF8.GetString(connect.WillPayload));
        Assert.True(connect.WillRetain);
        var online = Assert.Single(rig.Mqtt.Publishes);
        Assert.Equal((ChipIdOfFakeMac + "/status", "online", true),
            (online.Topic, Encoding.UTF8.GetString(online.Payload), online.Retain));
    }

    [Fact]
    public void An_empty_status_topic_turns_availability_off()
    {
        var rig = new DeviceRig();
        rig.Settings.Settings.StatusTopic = "";
        rig.StartOnline();
        Assert.Null(rig.Mqtt.Connects[0].WillTopic);
        Assert.Empty(rig.Mqtt.Publishes);
    }

    [Fact]
    public void Messages_on_topic1_are_printed_in_order()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Receive("topic1", "on");
        rig.Receive("topic1", "off");
        rig.Device.Step();

        int on = rig.Monitor.Lines.IndexOf("Received on topic1: on");
        int off = rig.Monitor.Lines.IndexOf("Received on topic1: off");
        Assert.True(on >= 0 && off > on, rig.Monitor.Transcript);
    }

    [Fact]
    public void A_boot_press_publishes_hello_to_topic2_once()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Press();

        Assert.Equal(new[] { "hello" }, rig.Mqtt.PublishedTexts("topic2"));
        var publish = rig.Mqtt.Publishes.Single(p => p.Topic == "topic2");
        Assert.Equal((1, false), (publish.Qos, publish.Retain));
        Assert.Contains("BOOT: sent hello to topic2", rig.Monitor.Lines);
    }

    [Fact]
    public void Three_bouncy_presses_publish_exactly_three_times()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Press();
        rig.Press();
        rig.Press();
        Assert.Equal(3, rig.Mqtt.PublishedTexts("topic2").Count());
    }

    [Fact]
    public void A_press_publishes_what_the_lesson_says_hello_to_topic2_at_qos_1_not_retained()
    {
        var rig = new DeviceRig();
        rig.StartOnline();
        rig.Press();
        var publish = rig.Mqtt.Publishes.Single(p => p.Topic == "topic2");
        Assert.Equal(("hello", 1, false), (Encoding.UTF8.GetString(publish.Payload), publish.Qos, publish.Retain));
    }

    [Fact]
    public void A_button_held_through_reset_sends_nothing_until_released_and_pressed_again()
    {
        var rig = new DeviceRig();
        rig.Button.IsDown = true;
        rig.StartOnline();
        rig.Hold(5_000);
        Assert.Empty(rig.Mqtt.PublishedTexts("topic2"));
        Assert.Contains("BOOT: held at start-up; ignored until released", rig.Monitor.Lines);

        rig.Button.IsDown = false;
        rig.Hold(100);
        rig.Press();
        Assert.Single(rig.Mqtt.PublishedTexts("topic2"));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void A_null_or_empty_status_topic_turns_availability_off(string statusTopic)
    {
        var rig = new DeviceRig();
        rig.Settings.Settings.StatusTopic = statusTopic;
        rig.StartOnline();

        Assert.Null(rig.Mqtt.Connects[0].WillTopic);
        Assert.Empty(rig.Mqtt.Publishes);
    }

    [Fact]
    public void A_press_while_offline_is_kept_once_and_sent_after_connecting()
    {
        var rig = new DeviceRig();
        rig.Network.ConnectResults.Enqueue(WifiConnectStatus.TimedOut);
        rig.Start();
        rig.Device.Step(); // the join fails; backing off
        rig.Press();
        rig.Press();
        Assert.Empty(rig.Mqtt.Publishes);
        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("BOOT: not connected; hello will be sent"));
        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("BOOT: not connected; one hello is already waiting"));

        Assert.True(rig.RunUntil(() => rig.Device.State == ConnectionState.Online));
        Assert.Equal(new[] { "hello" }, rig.Mqtt.PublishedTexts("topic2"));
    }

    [Fact]
    public void A_press_made_and_released_entirely_inside_a_connect_is_sent_once_it_succeeds()
    {
        var rig = new DeviceRig();
        rig.Mqtt.OnConnect = () =>
        {
            // The loop is blocked in Connect: nothing samples the button, the adapter latches the changes.
            rig.Clock.Advance(500);
            rig.Button.IsDown = true;
            rig.Clock.Advance(150);
            rig.Button.IsDown = false;
            rig.Clock.Advance(1_000);
        };
        rig.StartOnline();
        rig.Mqtt.OnConnect = null;
        rig.Hold(100);

        Assert.Equal(new[] { "hello" }, rig.Mqtt.PublishedTexts("topic2"));
    }

    [Fact]
    public void A_press_made_inside_a_connect_that_fails_is_kept_and_sent_on_the_next_connection()
    {
        var rig = new DeviceRig();
        rig.Mqtt.NextConnect(new MqttTransportException(TransportFault.Timeout, "detail", null));
        rig.Mqtt.OnConnect = () =>
        {
            rig.Mqtt.OnConnect = null;
            rig.Button.IsDown = true;
            rig.Clock.Advance(150);
            rig.Button.IsDown = false;
        };
        rig.Start();
        Assert.True(rig.RunUntil(() => rig.Monitor.Count("BOOT: not connected; hello will be sent") == 1));
        Assert.True(rig.RunUntil(() => rig.Mqtt.PublishedTexts("topic2").Any()));
        Assert.Equal(2, rig.Mqtt.Connects.Count);
        Assert.Single(rig.Mqtt.PublishedTexts("topic2"));
    }

    [Fact]
    public void A_press_whose_puback_never_comes_because_the_connection_dropped_is_sent_again_after_reconnecting()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Mqtt.AutoAck = false;
        rig.Press();
        rig.Mqtt.RaiseConnectionClosed();
        rig.Mqtt.AutoAck = true;
        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 2 && rig.Device.UnconfirmedPublishes == 0));

        Assert.Equal(new[] { "hello", "hello" }, rig.Mqtt.PublishedTexts("topic2"));
        Assert.Equal(1, rig.Monitor.Count("BOOT: hello not confirmed before the connection dropped; sending it again"));
        Assert.Equal(1, rig.Device.ResentPublishes);
        rig.Mqtt.RaiseConnectionClosed();
        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 3 && rig.Device.State == ConnectionState.Online));
        rig.Hold(100);
        Assert.Equal(2, rig.Mqtt.PublishedTexts("topic2").Count());
    }

    [Fact]
    public void A_confirmed_press_is_not_sent_again_after_a_drop()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Press();
        rig.Mqtt.RaiseConnectionClosed();
        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 2 && rig.Device.State == ConnectionState.Online));
        rig.Hold(100);
        Assert.Single(rig.Mqtt.PublishedTexts("topic2"));
        Assert.Equal(0, rig.Monitor.Count("not confirmed"));
    }

    [Fact]
    public void A_press_on_a_client_that_is_no_longer_connected_is_kept_and_sent_after_reconnecting()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Mqtt.IsConnected = false; // the library knows, the loop has not heard yet
        rig.Press();
        Assert.Contains("BOOT: the connection has just dropped; hello will be sent after reconnecting", rig.Monitor.Lines);
        Assert.Empty(rig.Mqtt.PublishedTexts("topic2"));

        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 2 && rig.Device.UnconfirmedPublishes == 0));
        Assert.Contains("MQTT: connection lost; reconnecting", rig.Monitor.Lines);
        Assert.Equal(new[] { "hello" }, rig.Mqtt.PublishedTexts("topic2"));
    }

    [Fact]
    public void A_kept_press_is_not_published_into_a_connection_the_same_pass_has_just_marked_lost()
    {
        var rig = new DeviceRig();
        rig.Network.ConnectResults.Enqueue(WifiConnectStatus.TimedOut);
        rig.Start();
        rig.Device.Step();
        rig.Press(); // kept while offline
        rig.Mqtt.ThrowOnSubscribe = true;
        rig.Mqtt.OnConnect = () => rig.Mqtt.ThrowOnSubscribe = rig.Mqtt.Connects.Count == 1;
        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 2 && rig.Device.UnconfirmedPublishes == 0));

        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("MQTT: subscribing failed"));
        var hello = Assert.Single(rig.Mqtt.PublishIds.Zip(rig.Mqtt.Publishes.Where(p => p.Qos > 0)), x => x.Second.Topic == "topic2");
        Assert.Equal(2, hello.First.Connection);
    }

    [Fact]
    public void A_close_event_from_a_connection_left_behind_never_marks_the_new_one_lost()
    {
        var rig = new DeviceRig().StartOnline();
        int first = rig.Mqtt.Connection;
        rig.Mqtt.RaiseConnectionClosed();
        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 2 && rig.Device.State == ConnectionState.Online));

        rig.Mqtt.Listener.OnConnectionClosed(first); // late, from the old client's thread
        rig.Hold(5_000);
        Assert.Equal(2, rig.Mqtt.Connects.Count);
        Assert.Equal(1, rig.Monitor.Count("MQTT: connection lost"));
        Assert.Equal(ConnectionState.Online, rig.Device.State);
    }

    [Fact]
    public void Subscribed_is_said_only_when_the_suback_grants_it()
    {
        var rig = new DeviceRig();
        rig.Mqtt.SubscribeGrant = null;
        rig.StartOnline();
        rig.Hold(1_000);
        Assert.Equal(0, rig.Monitor.Count("MQTT: subscribed to topic1"));

        rig.Mqtt.Listener.OnSubscribed(rig.Mqtt.Connection, 1, 1);
        rig.Device.Step();
        Assert.Equal(1, rig.Monitor.Count("MQTT: subscribed to topic1"));
    }

    [Fact]
    public void A_refused_subscription_is_one_line_naming_the_topic_and_the_permission_to_fix()
    {
        var rig = new DeviceRig();
        rig.Mqtt.SubscribeGrant = ConnectResult.SubscriptionRefused;
        rig.StartOnline();
        rig.Device.Step();

        Assert.Equal(0, rig.Monitor.Count("MQTT: subscribed to topic1"));
        var line = Assert.Single(rig.Monitor.Lines, l => l.Contains("refused the subscription"));
        Assert.Equal("MQTT: the broker refused the subscription to topic1 (SUBACK 0x80), so nothing sent to it will arrive; "
            + "allow BrokerUsername to subscribe to topic1 in the broker's permissions (HiveMQ Cloud: Access Management)", line);
    }

    [Fact]
    public void A_suback_of_a_connection_left_behind_is_not_reported()
    {
        var rig = new DeviceRig();
        rig.Mqtt.SubscribeGrant = null;
        rig.StartOnline();
        rig.Mqtt.RaiseConnectionClosed();
        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 2 && rig.Device.State == ConnectionState.Online));
        rig.Mqtt.Listener.OnSubscribed(1, 1, ConnectResult.SubscriptionRefused);
        rig.Device.Step();
        Assert.Equal(0, rig.Monitor.Count("refused the subscription"));
    }

    [Fact]
    public void Retry_deadlines_hold_when_the_tick_counter_wraps()
    {
        var rig = new DeviceRig();
        rig.Options.BackoffBaseMs = 10_000; // the first retry waits 1-10 s, across the wrap 0.5 s ahead
        rig.Clock.NowMs = long.MaxValue - 500;
        rig.Network.ConnectResults.Enqueue(WifiConnectStatus.TimedOut);
        rig.Start();
        var joinTimes = new List<long>();
        Assert.True(rig.RunUntil(() =>
        {
            if (rig.Network.Joins.Count > joinTimes.Count)
            {
                joinTimes.Add(rig.Clock.NowMs);
            }

            return rig.Device.State == ConnectionState.Online;
        }, 20_000), rig.Monitor.Transcript);

        Assert.Equal(2, joinTimes.Count);
        Assert.InRange(joinTimes[1] - joinTimes[0], 1_000, 10_100);
    }

    [Fact]
    public void Printing_queued_messages_comes_before_a_blocking_connect()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Receive("topic1", "last words");
        rig.Mqtt.RaiseConnectionClosed();
        rig.Device.Step();
        Assert.Contains("Received on topic1: last words", rig.Monitor.Lines);
        Assert.Single(rig.Mqtt.Connects);
    }

    [Fact]
    public void It_never_blocks_in_connect_while_received_messages_wait_to_be_printed()
    {
        var rig = new DeviceRig();
        rig.Options.InboxCapacity = 1;
        rig.StartOnline();
        var inboxAtConnect = new List<int>();
        rig.Mqtt.OnConnect = () => inboxAtConnect.Add(rig.Device.InboxCount);
        int trickle = 0;
        // The library's thread still hands over messages while the loop prints, for longer than the backoff.
        rig.Monitor.OnLine = line => { if (line.StartsWith("Received") && trickle++ < 3000) { rig.Receive("topic1", "late"); } };
        rig.Receive("topic1", "first");
        rig.Mqtt.RaiseConnectionClosed();

        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 2));
        Assert.Equal(new[] { 0 }, inboxAtConnect);
        Assert.Equal(3001, rig.Monitor.Count("Received on topic1"));
    }

    [Fact]
    public void A_press_just_after_the_library_reports_a_loss_is_kept_for_the_next_connection()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Button.IsDown = true;
        rig.Device.Step();
        rig.Clock.Advance(rig.Options.DebounceMs + 1);
        rig.Mqtt.RaiseConnectionClosed();
        rig.Mqtt.IsConnected = true; // a library may raise the event before its own state says so
        rig.Device.Step(); // the press settles in the very pass that first sees the loss
        rig.Button.IsDown = false;

        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 2 && rig.Device.State == ConnectionState.Online));
        var topics = rig.Mqtt.Publishes.Select(p => p.Topic).ToList();
        int secondOnline = topics.LastIndexOf(ChipIdOfFakeMac + "/status");
        Assert.True(topics.IndexOf("topic2") > secondOnline, "hello went to the dead connection: " + string.Join(", ", topics));
        Assert.Single(rig.Mqtt.PublishedTexts("topic2"));
    }

    [Fact]
    public void After_the_connection_drops_it_reconnects_and_subscribes_again()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Mqtt.RaiseConnectionClosed();
        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 2 && rig.Device.State == ConnectionState.Online));

        Assert.Equal(2, rig.Mqtt.Subscribes.Count(s => s.Topic == "topic1"));
        Assert.Contains("MQTT: connection lost; reconnecting", rig.Monitor.Lines);
        Assert.True(rig.Mqtt.Closes >= 1);
    }

    [Fact]
    public void When_wifi_drops_it_stops_publishing_and_rejoins_wifi_before_mqtt()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Network.IsUp = false;
        rig.Network.ConnectResults.Enqueue(WifiConnectStatus.TimedOut);
        rig.Device.Step();
        Assert.Equal(ConnectionState.JoiningWifi, rig.Device.State);
        rig.Press();
        Assert.Empty(rig.Mqtt.PublishedTexts("topic2"));

        Assert.True(rig.RunUntil(() => rig.Device.State == ConnectionState.Online));
        Assert.Equal(3, rig.Network.Joins.Count);
        Assert.Equal(2, rig.Mqtt.Connects.Count);
        Assert.Equal(2, rig.Mqtt.Subscribes.Count);
        Assert.Equal(new[] { "hello" }, rig.Mqtt.PublishedTexts("topic2"));
    }

    [Fact]
    public void Nothing_connects_before_the_clock_is_valid()
    {
        var rig = new DeviceRig();
        rig.Clock.UtcNow = new DateTime(1970, 1, 1, 0, 0, 5, DateTimeKind.Utc);
        rig.Start();
        rig.RunUntil(() => false, 10_000);
        Assert.Empty(rig.Mqtt.Connects);
        Assert.Equal(ConnectionState.WaitingForClock, rig.Device.State);
        Assert.Equal(1, rig.Monitor.Count("Clock: waiting for network time"));

        rig.Clock.UtcNow = new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);
        Assert.True(rig.RunUntil(() => rig.Device.State == ConnectionState.Online, 2_000));
    }

    [Theory]
    [InlineData(1, "1", "the broker does not speak MQTT 5")]
    [InlineData(2, "2", "client ID rejected")]
    [InlineData(3, "3", "broker unavailable")]
    [InlineData(4, "4", "bad user name or password")]
    [InlineData(5, "5", "not authorized")]
    [InlineData(0x84, "0x84", "the broker does not speak MQTT 5")]
    [InlineData(0x85, "0x85", "client ID rejected")]
    [InlineData(0x86, "0x86", "bad user name or password")]
    [InlineData(0x87, "0x87", "not authorized")]
    [InlineData(0x88, "0x88", "broker unavailable")]
    [InlineData(0x8A, "0x8A", "this client is banned")]
    public void A_refused_connect_is_reported_by_name_and_retried(int code, string shown, string words)
    {
        var rig = new DeviceRig();
        rig.Mqtt.NextConnect(code);
        rig.StartOnline();

        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("MQTT: refused: " + words) && l.Contains("(code " + shown + ")"));
        Assert.Equal(2, rig.Mqtt.Connects.Count);
        Assert.True(rig.Mqtt.Closes >= 1, "a refused connection must be closed");
    }

    [Fact]
    public void Bad_credentials_name_the_settings_to_fix()
    {
        var rig = new DeviceRig();
        rig.Mqtt.NextConnect(ConnectResult.BadUsernameOrPassword);
        rig.StartOnline();
        Assert.Contains(rig.Monitor.Lines, l => l.Contains("BrokerUsername and BrokerPassword") && l.Contains("credentials"));
    }

    [Fact]
    public void Repeated_identical_failures_print_the_reason_once_and_back_off()
    {
        var rig = new DeviceRig();
        for (int i = 0; i < 6; i++)
        {
            rig.Mqtt.NextConnect(ConnectResult.BadUsernameOrPassword);
        }

        rig.Start();
        long start = rig.Clock.NowMs;
        var attemptTimes = new List<long>();
        rig.RunUntil(() =>
        {
            if (rig.Mqtt.Connects.Count > attemptTimes.Count)
            {
                attemptTimes.Add(rig.Clock.NowMs);
            }

            return rig.Device.State == ConnectionState.Online;
        }, 300_000);

        Assert.Equal(1, rig.Monitor.Count("bad user name or password"));
        Assert.Equal(5, rig.Monitor.Count("MQTT: still failing the same way"));
        // Each wait is drawn from a window that doubles: between a tenth and all of base * 2^n.
        var gaps = attemptTimes.Zip(attemptTimes.Skip(1), (a, b) => b - a).ToList();
        for (int i = 0; i < gaps.Count; i++)
        {
            long window = Math.Min(rig.Options.BackoffCapMs, (long)rig.Options.BackoffBaseMs << i);
            Assert.True(gaps[i] >= window / 10 && gaps[i] <= window + 50, "gap " + i + " outside its window of " + window + " ms: " + string.Join(",", gaps));
        }
    }

    [Theory]
    [InlineData(TransportFault.Certificate, "certificate was not accepted")]
    [InlineData(TransportFault.TlsHandshake, "TLS handshake")]
    [InlineData(TransportFault.Timeout, "timed out")]
    [InlineData(TransportFault.HostNotFound, "not found; check BrokerHost")]
    [InlineData(TransportFault.Unreachable, "cannot reach")]
    [InlineData(TransportFault.Other, "failed")]
    [InlineData(TransportFault.ClosedBeforeConnack, "closed the connection before answering CONNECT")]
    [InlineData(TransportFault.Rejected, "the MQTT library refused to send CONNECT; check StatusTopic")]
    public void A_transport_fault_is_one_clear_line_and_the_loop_goes_on(TransportFault fault, string words)
    {
        var rig = new DeviceRig();
        rig.Mqtt.NextConnect(new MqttTransportException(fault, "detail", null));
        rig.StartOnline();
        Assert.Single(rig.Monitor.Lines, l => l.StartsWith("MQTT:") && l.Contains(words) && l.Contains("(detail)"));
    }

    [Fact]
    public void An_unexpected_exception_from_connect_does_not_end_the_loop()
    {
        var rig = new DeviceRig();
        rig.Mqtt.NextConnect(new InvalidOperationException("boom"));
        rig.StartOnline();
        Assert.Contains("MQTT: connecting failed (boom)", rig.Monitor.Lines);
    }

    [Fact]
    public void Wifi_join_failures_back_off_with_growing_delays_then_reset_on_success()
    {
        var rig = new DeviceRig();
        rig.Options.BackoffBaseMs = 1000;
        for (int i = 0; i < 4; i++)
        {
            rig.Network.ConnectResults.Enqueue(WifiConnectStatus.TimedOut);
        }

        rig.StartOnline();
        Assert.Equal(5, rig.Network.Joins.Count);
        Assert.Equal(1, rig.Monitor.Count("WiFi: no network named \"ClassroomWiFi\" in range"));
        Assert.Equal(3, rig.Monitor.Count("WiFi: still failing the same way"));
        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("WiFi: next try in"));
    }

    [Fact]
    public void A_connection_that_flaps_keeps_backing_off_instead_of_hammering_the_broker()
    {
        var rig = new DeviceRig();
        rig.Options.StableConnectionMs = 60_000;
        rig.StartOnline();
        var connectTimes = rig.DropAndReconnect(6);

        long lastGap = connectTimes[^1] - connectTimes[^2];
        Assert.True(lastGap >= 3_200, "the 6th quick drop draws from a 32 s window, at least a tenth of it; waited " + lastGap);
    }

    [Fact]
    public void A_connection_that_was_stable_reconnects_quickly_after_a_drop()
    {
        var rig = new DeviceRig();
        rig.Options.StableConnectionMs = 60_000;
        rig.StartOnline();
        rig.DropAndReconnect(5);
        rig.Clock.Advance(61_000);
        rig.Mqtt.RaiseConnectionClosed();
        long dropped = rig.Clock.NowMs;
        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 7));
        Assert.True(rig.Clock.NowMs - dropped <= 1_100, (rig.Clock.NowMs - dropped) + "\n" + rig.Monitor.Transcript);
    }

    [Fact]
    public void A_flood_overflows_the_inbox_and_the_drops_are_counted_and_reported()
    {
        var rig = new DeviceRig();
        rig.Options.InboxCapacity = 4;
        rig.StartOnline();
        for (int i = 0; i < 10; i++)
        {
            rig.Receive("topic1", "m" + i);
        }

        rig.Device.Step();
        Assert.Equal(6, rig.Device.DroppedMessages);
        Assert.Equal(new[] { "m6", "m7", "m8", "m9" },
            rig.Monitor.Lines.Where(l => l.StartsWith("Received")).Select(l => l[(l.IndexOf(": ") + 2)..]));
        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("Inbox: 6 messages dropped"));
    }

    [Fact]
    public void A_qos1_flood_never_holds_the_library_thread_and_the_monitor_counts_the_qos1_drops()
    {
        var rig = new DeviceRig();
        rig.Options.InboxCapacity = 2;
        rig.StartOnline();
        var sender = new Thread(() =>
        {
            for (int i = 0; i < 10; i++)
            {
                rig.Mqtt.Listener.OnMessage("topic1", Encoding.UTF8.GetBytes("kept" + i), 1);
            }
        });
        sender.Start();
        // Nobody takes meanwhile: on the board the PUBACKs went out already, so waiting would only grow M2Mqtt's queue.
        Assert.True(sender.Join(5_000), "the library's thread must never wait for the loop");
        rig.Device.Step();

        Assert.Equal(new[] { "kept8", "kept9" },
            rig.Monitor.Lines.Where(l => l.StartsWith("Received")).Select(l => l[(l.IndexOf(": ") + 2)..]));
        Assert.Equal(8, rig.Device.DroppedMessages);
        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("Inbox: 8 messages dropped so far (8 of them QoS 1;"));
    }

    [Fact]
    public void A_message_bigger_than_the_board_asked_for_is_dropped_with_a_line_and_the_next_one_prints()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Mqtt.Listener.OnMessage("topic1", new byte[200 * 1024], 1);
        rig.Receive("topic1", "next");
        rig.Device.Step();

        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("MQTT: a message of 204806 bytes on topic1 was dropped"));
        Assert.Contains("Received on topic1: next", rig.Monitor.Lines);
        Assert.DoesNotContain(rig.Monitor.Lines, l => l.StartsWith("Received on topic1: (204800"));
        Assert.DoesNotContain(rig.Monitor.Lines, l => l.StartsWith("Inbox:"));
    }

    [Fact]
    public void Drop_reports_are_rate_limited_during_a_flood()
    {
        var rig = new DeviceRig();
        rig.Options.InboxCapacity = 2;
        rig.StartOnline();
        for (int round = 0; round < 50; round++)
        {
            for (int i = 0; i < 5; i++)
            {
                rig.Receive("topic1", "x");
            }

            rig.Device.Step();
            rig.Clock.Advance(100);
        }

        Assert.Equal(150, rig.Device.DroppedMessages);
        Assert.InRange(rig.Monitor.Count("Inbox:"), 4, 6); // 5 s of flood, one report a second
    }

    [Fact]
    public void Invalid_settings_are_all_listed_once_and_the_device_waits_without_connecting()
    {
        var rig = new DeviceRig();
        rig.Settings.Settings.BrokerPort = 70000;
        rig.Settings.Settings.KeepAliveSeconds = 5;
        rig.Start();
        rig.RunUntil(() => false, 60_000);

        Assert.Equal(ConnectionState.SettingsInvalid, rig.Device.State);
        Assert.Empty(rig.Network.Joins);
        Assert.Equal(1, rig.Monitor.Count("2 problem(s) in settings.json"));
        Assert.Equal(1, rig.Monitor.Count("  - BrokerPort: 70000"));
        Assert.Equal(1, rig.Monitor.Count("  - KeepAliveSeconds:"));
        Assert.InRange(rig.Settings.Reads, 5, 8); // re-read every 10 s, not in a hot loop
    }

    [Fact]
    public void Invalid_settings_end_with_one_line_saying_they_are_picked_up_once_fixed()
    {
        var rig = new DeviceRig();
        rig.Settings.Settings.BrokerPort = 70000;
        rig.Start();
        rig.RunUntil(() => false, 35_000);

        Assert.Equal(1, rig.Monitor.Count("Settings: waiting; fix them and the device picks them up within 10.0 s"));
        Assert.Equal("Settings: waiting; fix them and the device picks them up within 10.0 s", rig.Monitor.Lines.Last());
    }

    [Fact]
    public void Invalid_settings_are_re_read_every_10_s_across_the_tick_counter_wrap()
    {
        var rig = new DeviceRig();
        rig.Settings.Settings.BrokerPort = 70000;
        rig.Clock.NowMs = long.MaxValue - 500; // the first re-read is due 9.5 s after the wrap
        rig.Start();
        rig.RunUntil(() => false, 60_000);

        Assert.Equal(ConnectionState.SettingsInvalid, rig.Device.State);
        Assert.InRange(rig.Settings.Reads, 5, 8); // not in a hot loop once the counter has wrapped
    }

    [Fact]
    public void Fixed_settings_are_picked_up_without_a_reset()
    {
        var rig = new DeviceRig();
        rig.Settings.Problem = "settings.json is not valid JSON (line 3)";
        rig.Start();
        Assert.Contains("Settings: settings.json is not valid JSON (line 3)", rig.Monitor.Lines);
        rig.Settings.Problem = null;
        Assert.True(rig.RunUntil(() => rig.Device.State == ConnectionState.Online, 30_000));
        Assert.Contains("Settings: OK now", rig.Monitor.Lines);
    }

    [Fact]
    public void A_CaCertificate_file_that_is_not_there_is_one_settings_problem_at_start_not_a_retried_certificate_failure()
    {
        var rig = new DeviceRig();
        rig.Settings.Settings.CaCertificate = @"I:\my-ca.pem";
        rig.Settings.MissingFiles.Add(@"I:\my-ca.pem");
        rig.Start();
        rig.RunUntil(() => false, 30_000);

        Assert.Equal(ConnectionState.SettingsInvalid, rig.Device.State);
        Assert.Empty(rig.Mqtt.Connects);
        Assert.Equal(1, rig.Monitor.Count("Settings: 1 problem(s) in settings.json:"));
        Assert.Equal(1, rig.Monitor.Count(@"  - CaCertificate: no file at I:\my-ca.pem; put your broker's CA (PEM) file there"));
        Assert.DoesNotContain(rig.Monitor.Lines, l => l.Contains("certificate was not accepted", StringComparison.Ordinal));

        rig.Settings.MissingFiles.Clear(); // deployed: picked up at the next re-read
        Assert.True(rig.RunUntil(() => rig.Device.State == ConnectionState.Online, 30_000), rig.Monitor.Transcript);
        Assert.Equal(@"I:\my-ca.pem", rig.Mqtt.Connects[0].CaCertificate);
    }

    [Fact]
    public void A_missing_settings_file_is_named_with_the_fix_in_the_cores_own_words()
    {
        var rig = new DeviceRig();
        rig.Settings.Missing = true;
        rig.Start();
        Assert.Contains("Settings: no settings file at settings.json; copy settings.example.json to settings.json, fill in your WiFi and "
            + "broker details and put it there (README: Configure)", rig.Monitor.Lines);
        rig.Settings.Missing = false;
        Assert.True(rig.RunUntil(() => rig.Device.State == ConnectionState.Online, 30_000));
    }

    [Fact]
    public void A_press_with_invalid_settings_says_why_nothing_is_sent()
    {
        var rig = new DeviceRig();
        rig.Settings.Problem = "settings.json not found";
        rig.Start();
        rig.Press();
        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("BOOT: pressed, but nothing can be sent until the settings are fixed"));
    }

    [Fact]
    public void Passwords_never_appear_on_the_monitor()
    {
        var rig = new DeviceRig();
        rig.Mqtt.NextConnect(ConnectResult.BadUsernameOrPassword);
        rig.Network.ConnectResults.Enqueue(WifiConnectStatus.TimedOut);
        rig.StartOnline();
        rig.Settings.Settings.BrokerPort = 0;
        Assert.DoesNotContain(rig.Monitor.Lines, l => l.Contains("wifi-secret-123") || l.Contains("broker-secret-456"));
    }

    [Fact]
    public void An_unknown_mac_is_reported_and_retried_rather_than_crashing()
    {
        var rig = new DeviceRig();
        rig.Network.MacAddress = null;
        rig.Start();
        rig.RunUntil(() => rig.Monitor.Count("MAC address") > 0, 5_000);
        Assert.Empty(rig.Mqtt.Connects);
        rig.Network.MacAddress = new byte[] { 1, 2, 3, 4, 5, 6 };
        Assert.True(rig.RunUntil(() => rig.Device.State == ConnectionState.Online));
        Assert.Equal("010203040506", rig.Mqtt.Connects[0].ClientId);
    }

    [Fact]
    public void A_mac_of_the_wrong_length_counts_as_unknown_and_is_named_once()
    {
        var rig = new DeviceRig();
        rig.Network.MacAddress = new byte[] { 1, 2, 3, 4, 5 };
        rig.Start();
        rig.RunUntil(() => false, 5_000);

        Assert.Empty(rig.Mqtt.Connects);
        Assert.Equal(0, rig.Monitor.Count("Chip ID:"));
        Assert.Equal(1, rig.Monitor.Count("MQTT: the WiFi MAC address (the chip ID) is unknown; is this an ESP32 with WiFi?"));
    }

    [Fact]
    public void A_failed_publish_keeps_the_press_and_reconnects()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Mqtt.ThrowOnPublish = true;
        rig.Press();
        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("BOOT: publish failed (socket closed)"));
        rig.Mqtt.ThrowOnPublish = false;
        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 2 && rig.Device.State == ConnectionState.Online));
        Assert.Equal(new[] { "hello" }, rig.Mqtt.PublishedTexts("topic2"));
    }

    [Fact]
    public void When_idle_and_online_the_loop_sleeps_until_woken()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Wakeup.Wait(0);
        Assert.Equal(rig.Options.IdleWaitMs, rig.Device.Step());
        Assert.False(rig.Wakeup.Wait(0));
    }

    [Fact]
    public void A_received_message_wakes_the_loop_at_once()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Wakeup.Wait(0);
        rig.Receive("topic1", "on");
        Assert.True(rig.Wakeup.Wait(0));
    }

    [Fact]
    public void A_lost_connection_wakes_the_loop_at_once()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Wakeup.Wait(0);
        rig.Mqtt.RaiseConnectionClosed();
        Assert.True(rig.Wakeup.Wait(0));
    }

    [Fact]
    public void One_pass_prints_at_most_an_inbox_worth_so_the_button_and_connection_get_their_turn()
    {
        var rig = new DeviceRig();
        rig.Options.InboxCapacity = 4;
        rig.StartOnline();
        var monitorTrigger = 0;
        for (int i = 0; i < 4; i++)
        {
            rig.Receive("topic1", "first" + i);
        }

        // Messages keep arriving while the pass prints (the library's threads do not wait for the loop).
        rig.Monitor.OnLine = _ => { if (monitorTrigger++ < 2) { rig.Receive("topic1", "late"); } };
        int wait = rig.Device.Step();
        Assert.Equal(4, rig.Monitor.Count("Received on topic1"));
        Assert.Equal(0, wait);
    }

    /// <summary>A rig brought online step by step, and a second device on its ports for <see cref="Device.Run"/> on
    /// a thread of its own (the connection the rig opened stays the current one).</summary>
    private static (DeviceRig Rig, Device Device) SecondDeviceOnAnOnlineRig()
    {
        var rig = new DeviceRig();
        rig.Start();
        rig.RunUntil(() => rig.Device.State == ConnectionState.Online);
        var ports = new DevicePorts
        {
            Network = rig.Network, Mqtt = rig.Mqtt, Button = rig.Button, Clock = rig.Clock, Monitor = rig.Monitor, Settings = rig.Settings,
        };
        return (rig, new Device(ports, rig.Options, new Wakeup()));
    }

    [Fact]
    public void Run_returns_after_stop_and_says_offline_first()
    {
        var (rig, device) = SecondDeviceOnAnOnlineRig();
        var thread = new Thread(device.Run);
        thread.Start();
        Assert.True(SpinWait.SpinUntil(() => device.State == ConnectionState.Online, 5_000));
        device.Stop();
        Assert.True(thread.Join(5_000), "Run did not return after Stop");
        Assert.Equal("offline", rig.Mqtt.PublishedTexts(ChipIdOfFakeMac + "/status").Last());
        // Retained at QoS 1, like "online": a subscriber arriving later must read offline, not the last online.
        var offline = rig.Mqtt.Publishes.Last(p => p.Topic == ChipIdOfFakeMac + "/status");
        Assert.Equal((1, true), (offline.Qos, offline.Retain));
    }

    [Fact]
    public void Stop_prints_what_the_library_still_hands_over_and_closes_only_then()
    {
        var (rig, device) = SecondDeviceOnAnOnlineRig();
        // The loop has already left when "offline" goes out: only the stop's own drain can print these.
        rig.Mqtt.OnPublish = (topic, text) =>
        {
            if (text == "offline")
            {
                for (int i = 1; i <= 3; i++)
                {
                    rig.Mqtt.Listener.OnMessage("topic1", System.Text.Encoding.UTF8.GetBytes("held " + i), 1);
                }
            }
        };
        int printedAtClose = -1;
        rig.Mqtt.OnClose = () => printedAtClose = rig.Monitor.Count("Received on topic1: held ");

        var thread = new Thread(device.Run);
        thread.Start();
        Assert.True(SpinWait.SpinUntil(() => device.State == ConnectionState.Online, 5_000));
        device.Stop();
        Assert.True(thread.Join(5_000), "Run did not return after Stop");
        Assert.Equal(3, printedAtClose);
        Assert.Equal(new[] { "held 1", "held 2", "held 3" },
            rig.Monitor.Lines.Where(l => l.StartsWith("Received on topic1: ")).Select(l => l["Received on topic1: ".Length..]));
    }
}
