using System.Text;
using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

/// <summary>The lesson (Firmware/Lesson.cs and the worked changes in docs/lessons/) on the whole device with fakes:
/// what it decides happens, and nothing it does can stop or break the loop.</summary>
public class LessonTests
{
    private const string LedSwitch = "docs/lessons/LedSwitch.cs";
    private const string PressCounter = "docs/lessons/PressCounter.cs";
    private const string SecondTopic = "docs/lessons/SecondTopic.cs";
    private const string PingPong = "docs/lessons/PingPong.cs";

    private static DeviceRig Online(ILesson lesson, Action<DeviceRig> arrange = null)
    {
        var rig = new DeviceRig { Lesson = lesson };
        arrange?.Invoke(rig);
        return rig.StartOnline();
    }

    // ---- The lesson as shipped ---------------------------------------------------------------------------------

    [Fact]
    public void The_shipped_lesson_is_the_one_the_device_runs_by_default_and_it_prints_and_publishes_as_before()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Receive("topic1", "on");
        rig.Device.Step();
        rig.Press();

        Assert.Contains("Received on topic1: on", rig.Monitor.Lines);
        Assert.Equal(new[] { "hello" }, rig.Mqtt.PublishedTexts("topic2"));
        Assert.Contains("BOOT: sent hello to topic2", rig.Monitor.Lines);
        Assert.DoesNotContain(rig.Monitor.Lines, l => l.StartsWith("Lesson:"));
    }

    // ---- Nothing in the lesson can stop or break the loop ------------------------------------------------------

    private sealed class Throwing : ILesson
    {
        public string[] Topics() => new[] { "topic1" };

        public void OnMessage(MqttMessage message, Board board)
        {
            if (message.Is("boom")) throw new InvalidOperationException("the lesson broke on " + message.Text);
            board.Print(message);
        }

        public void OnBootPress(Board board) => throw new DivideByZeroException();
    }

    [Fact]
    public void A_lesson_that_throws_on_a_message_is_named_with_its_line_and_the_next_message_is_still_handled()
    {
        var rig = Online(new Throwing());
        rig.Receive("topic1", "boom");
        rig.Receive("topic1", "after");
        rig.Device.Step();

        Assert.Contains("Lesson: OnMessage (topic1) failed: InvalidOperationException: the lesson broke on boom (the device carries on)", rig.Monitor.Lines);
        string at = rig.Monitor.Lines.Single(l => l.StartsWith("Lesson:   at "));
        Assert.Contains("Throwing.OnMessage", at);
        Assert.Contains("LessonTests.cs:line ", at);
        Assert.Contains("Received on topic1: after", rig.Monitor.Lines);
        Assert.Equal(ConnectionState.Online, rig.Device.State);
        Assert.Single(rig.Mqtt.Connects);
    }

    [Fact]
    public void A_lesson_that_throws_on_every_press_is_reported_each_time_and_the_device_stays_online()
    {
        var rig = Online(new Throwing());
        rig.Press();
        rig.Press();

        Assert.Equal(2, rig.Monitor.Count("Lesson: OnBootPress failed: DivideByZeroException: "));
        Assert.Equal(ConnectionState.Online, rig.Device.State);
        rig.Receive("topic1", "still here");
        rig.Device.Step();
        Assert.Contains("Received on topic1: still here", rig.Monitor.Lines);
    }

    private sealed class Slow : ILesson
    {
        public FakeClock Clock;
        public int TookMs;

        public string[] Topics() => new[] { "topic1" };

        public void OnMessage(MqttMessage message, Board board)
        {
            Clock.Advance(TookMs); // as if it did a long calculation or a Thread.Sleep
            board.Print(message);
        }

        public void OnBootPress(Board board) => Clock.Advance(TookMs);
    }

    [Fact]
    public void A_slow_lesson_is_named_and_the_device_keeps_its_connection_and_handles_what_came_meanwhile()
    {
        var lesson = new Slow { TookMs = 12_500 };
        var rig = Online(lesson);
        lesson.Clock = rig.Clock;
        rig.Receive("topic1", "first");
        rig.Receive("topic1", "second");
        rig.Device.Step();
        rig.Press();

        Assert.Equal(2, rig.Monitor.Count("Lesson: OnMessage took 12.5 s; messages and presses waited meanwhile"));
        Assert.Equal(1, rig.Monitor.Count("Lesson: OnBootPress took 12.5 s"));
        Assert.Contains("Received on topic1: second", rig.Monitor.Lines);
        // The keepalive is the MQTT library's (its own thread): the loop does not reconnect because it was busy.
        Assert.Single(rig.Mqtt.Connects);
        Assert.Equal(ConnectionState.Online, rig.Device.State);
    }

    [Fact]
    public void A_quick_lesson_is_never_called_slow()
    {
        var lesson = new Slow { TookMs = 999 };
        var rig = Online(lesson);
        lesson.Clock = rig.Clock;
        rig.Receive("topic1", "quick enough");
        rig.Device.Step();
        Assert.DoesNotContain(rig.Monitor.Lines, l => l.Contains(" took "));
    }

    [Fact]
    public void A_lesson_taking_exactly_the_slow_limit_is_called_slow()
    {
        var lesson = new Slow { TookMs = new DeviceOptions().SlowLessonMs };
        var rig = Online(lesson);
        lesson.Clock = rig.Clock;
        rig.Receive("topic1", "just too slow");
        rig.Device.Step();
        Assert.Equal(1, rig.Monitor.Count("Lesson: OnMessage took 1.0 s"));
    }

    private sealed class BadTopics : ILesson
    {
        public string[] Topics() => new[] { "topic1", "class/#/desk" };
        public void OnMessage(MqttMessage message, Board board) { }
        public void OnBootPress(Board board) { }
    }

    [Fact]
    public void A_topic_the_broker_would_refuse_is_named_and_nothing_is_subscribed()
    {
        var rig = Online(new BadTopics());
        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("Lesson: Topics: topic 2 \"class/#/desk\" uses a wildcard wrongly"));
        Assert.Empty(rig.Mqtt.Subscribes);
    }

    private sealed class PinUser : ILesson
    {
        public int Pin;
        public string[] Topics() => new[] { "topic1" };
        public void OnMessage(MqttMessage message, Board board) => board.DigitalWrite(Pin, message.Is("on"));
        public void OnBootPress(Board board) { }
    }

    [Fact]
    public void The_status_light_pin_is_refused_with_the_setting_to_change_while_the_light_is_on()
    {
        var rig = Online(new PinUser { Pin = 2 });
        rig.Receive("topic1", "on");
        rig.Device.Step();

        Assert.Empty(rig.Pins.Writes);
        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("Lesson: OnMessage (topic1) failed: InvalidOperationException: DigitalWrite: GPIO 2 is the status light's pin (StatusLedPin in settings.json); use another pin, or set StatusLedPin to -1"));
    }

    [Theory]
    [InlineData(34, "DigitalWrite: GPIO34 is input-only on an ESP32")]
    [InlineData(7, "DigitalWrite: GPIO7 is wired to the ESP32 module's SPI flash")]
    [InlineData(0, "DigitalWrite: GPIO 0 is the BOOT button's pin (BootButtonPin in settings.json)")]
    public void A_pin_the_board_cannot_drive_or_needs_itself_is_refused_with_why(int pin, string words)
    {
        var rig = Online(new PinUser { Pin = pin });
        rig.Receive("topic1", "on");
        rig.Device.Step();

        Assert.Empty(rig.Pins.Writes);
        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("Lesson: OnMessage (topic1) failed: ") && l.Contains(words));
    }

    [Fact]
    public void An_input_only_pin_is_refused_with_the_table_to_look_in()
    {
        var rig = Online(new PinUser { Pin = 34 });
        rig.Receive("topic1", "on");
        rig.Device.Step();

        string line = rig.Monitor.Lines.Single(l => l.StartsWith("Lesson: OnMessage (topic1) failed: "));
        Assert.StartsWith("Lesson: OnMessage (topic1) failed: ArgumentException: DigitalWrite: GPIO34 is input-only", line);
        Assert.EndsWith("; use another pin (see \"Boards and pins\" in README.md) (the device carries on)", line);
    }

    [Fact]
    public void With_the_status_light_off_its_pin_is_the_lessons()
    {
        var rig = Online(new PinUser { Pin = 2 }, r => r.Settings.Settings.StatusLedPin = -1);
        rig.Receive("topic1", "on");
        rig.Device.Step();
        Assert.Equal(new[] { (2, true) }, rig.Pins.Writes);
    }

    // ---- Publishing from the lesson: the BOOT press's own path ---------------------------------------------------

    [Fact]
    public void A_swapped_in_lesson_answers_ping_on_topic1_with_pong_on_topic2()
    {
        var rig = Online(LessonFiles.Create(PingPong));
        rig.Receive("topic1", "ping");
        rig.Receive("topic1", "not a ping");
        rig.Device.Step();

        Assert.Equal(new[] { "pong" }, rig.Mqtt.PublishedTexts("topic2"));
        var pong = rig.Mqtt.Publishes.Single(p => p.Topic == "topic2");
        Assert.Equal((1, false), (pong.Qos, pong.Retain));
        Assert.Contains("Lesson: sent pong to topic2", rig.Monitor.Lines);
    }

    [Fact]
    public void A_publish_from_a_message_while_the_connection_is_lost_is_kept_and_sent_after_reconnecting()
    {
        var rig = Online(LessonFiles.Create(PingPong));
        rig.Mqtt.RaiseConnectionClosed(); // reported by the library, not yet acted on by the loop
        rig.Receive("topic1", "ping");
        rig.Device.Step();
        Assert.Empty(rig.Mqtt.PublishedTexts("topic2")); // not handed to the connection that is gone

        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 2 && rig.Device.State == ConnectionState.Online));
        Assert.Equal(new[] { "pong" }, rig.Mqtt.PublishedTexts("topic2"));
    }

    private sealed class Publisher : ILesson
    {
        public Action<Board> Press;
        public string[] Topics() => new[] { "topic1" };
        public void OnMessage(MqttMessage message, Board board) { }
        public void OnBootPress(Board board) => Press(board);
    }

    [Fact]
    public void A_publish_from_a_message_while_offline_says_it_is_kept_like_a_press()
    {
        var rig = Online(LessonFiles.Create(PingPong));
        rig.Mqtt.RaiseConnectionClosed();
        rig.Device.Step(); // the loop acts on the loss: offline now
        rig.Receive("topic1", "ping");
        rig.Device.Step();
        Assert.Contains("Lesson: not connected; pong will be sent once MQTT is connected", rig.Monitor.Lines);
        Assert.True(rig.RunUntil(() => rig.Mqtt.PublishedTexts("topic2").Any()));
        Assert.Equal(new[] { "pong" }, rig.Mqtt.PublishedTexts("topic2"));
    }

    [Fact]
    public void Bytes_qos_and_retain_reach_the_transport_as_given()
    {
        var rig = Online(new Publisher { Press = b => b.Publish("sensors/raw", new byte[] { 0, 255, 7 }, 0, true) });
        rig.Press();
        var p = rig.Mqtt.Publishes.Single(x => x.Topic == "sensors/raw");
        Assert.Equal(new byte[] { 0, 255, 7 }, p.Payload);
        Assert.Equal((0, true), (p.Qos, p.Retain));
        Assert.Contains("BOOT: sent (3 bytes) to sensors/raw", rig.Monitor.Lines);
    }

    [Theory]
    [InlineData("topic/#", "Publish: the topic \"topic/#\" has a wildcard (+ or #); you can only publish to a plain topic")]
    [InlineData("", "Publish: the topic is empty")]
    public void A_publish_to_a_topic_that_cannot_be_published_to_says_why(string topic, string words)
    {
        var rig = Online(new Publisher { Press = b => b.Publish(topic, "x") });
        rig.Press();
        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("Lesson: OnBootPress failed: ArgumentException: " + words));
        Assert.DoesNotContain(rig.Mqtt.Publishes, p => p.Topic == topic);
    }

    // ---- The three worked changes of docs/lesson.md ----------------------------------------------------------------

    [Fact]
    public void Worked_change_1_the_app_builder_switch_turns_the_led_on_gpio4_on_and_off()
    {
        var rig = Online(LessonFiles.Create(LedSwitch));
        foreach (string text in new[] { "on", "off", "on", "dim" }) rig.Receive("topic1", text);
        rig.Device.Step();

        Assert.Equal(new[] { (4, true), (4, false), (4, true) }, rig.Pins.Writes);
        Assert.Contains("Received on topic1: dim", rig.Monitor.Lines);
    }

    [Fact]
    public void Worked_change_2_each_press_publishes_the_count_and_an_offline_press_goes_out_after_the_reconnect()
    {
        var rig = Online(LessonFiles.Create(PressCounter));
        rig.Press();
        rig.Press();
        rig.Mqtt.RaiseConnectionClosed();
        rig.Device.Step(); // the loop acts on the loss: offline now
        rig.Press();
        rig.Press();
        Assert.Equal(new[] { "1", "2" }, rig.Mqtt.PublishedTexts("topic2"));
        Assert.Contains("BOOT: not connected; 3 will be sent once MQTT is connected", rig.Monitor.Lines);
        // The outbox keeps one message per topic while offline (the first), and says so for the next.
        Assert.Contains("BOOT: not connected; one 4 is already waiting to be sent", rig.Monitor.Lines);

        Assert.True(rig.RunUntil(() => rig.Mqtt.PublishedTexts("topic2").Count() == 3));
        rig.Press();
        Assert.Equal(new[] { "1", "2", "3", "5" }, rig.Mqtt.PublishedTexts("topic2"));
        Assert.Contains("BOOT: sent 5 to topic2", rig.Monitor.Lines);
    }

    [Fact]
    public void Worked_change_3_a_second_topic_is_subscribed_after_every_connect_and_has_its_own_line()
    {
        var rig = Online(LessonFiles.Create(SecondTopic));
        rig.Receive("topic3", "hi from topic3");
        rig.Receive("topic1", "on");
        rig.Device.Step();
        rig.Mqtt.RaiseConnectionClosed();
        Assert.True(rig.RunUntil(() => rig.Mqtt.Connects.Count == 2 && rig.Device.State == ConnectionState.Online));
        rig.Device.Step(); // the SUBACKs are reported on the next pass

        Assert.Equal(new[] { ("topic1", 1), ("topic3", 1), ("topic1", 1), ("topic3", 1) }, rig.Mqtt.Subscribes);
        Assert.Contains("topic3 says hi from topic3", rig.Monitor.Lines);
        Assert.Contains("Received on topic1: on", rig.Monitor.Lines);
        Assert.Equal(2, rig.Monitor.Count("MQTT: subscribed to topic3"));
    }

    [Fact]
    public void The_worked_changes_use_only_what_nanoFramework_runs()
    {
        var files = new[] { LedSwitch, PressCounter, SecondTopic, PingPong }.Select(LessonFiles.Path).ToList();
        var violations = Firmware.Tests.Rules.NanoSourceChecker.CheckFiles(files,
            Firmware.Tests.Rules.NanoSourceChecker.DeviceLanguageVersion(Firmware.Tests.Rules.RepoPaths.Root),
            Firmware.Tests.Rules.RepoPaths.Relative);
        Assert.True(violations.Count == 0, string.Join("\n", violations));
    }

    // ---- The message a lesson is handed ----------------------------------------------------------------------------

    private sealed class Capture : ILesson
    {
        public MqttMessage Seen;
        public string Topic;
        public string Text;
        public bool IsOn;
        public bool IsEte;
        public bool IsEteWithoutAccents;
        public bool IsU0080;
        public string[] Topics() => new[] { "topic1" };
        public void OnMessage(MqttMessage message, Board board)
        {
            Seen = message;
            Topic = message.Topic;
            Text = message.Text;
            IsOn = message.Is("on");
            IsEte = message.Is("été");
            IsEteWithoutAccents = message.Is("ete");
            IsU0080 = message.Is("\u0080");
        }
        public void OnBootPress(Board board) { }
    }

    [Theory]
    [InlineData(new byte[] { (byte)'o', (byte)'n' }, "on", true)]
    [InlineData(new byte[] { (byte)'o', (byte)'n', (byte)'!' }, "on!", false)]
    [InlineData(new byte[] { (byte)'o' }, "o", false)]
    [InlineData(new byte[0], "", false)]
    [InlineData(new byte[] { 0xC3, 0xA9, (byte)'t', 0xC3, 0xA9 }, "été", false)]
    [InlineData(new byte[] { (byte)'o', 0xFF }, "o\uFFFD", false)]
    public void A_message_gives_its_text_and_compares_without_a_string(byte[] payload, string text, bool isOn)
    {
        var capture = new Capture();
        var rig = Online(capture);
        rig.Mqtt.Listener.OnMessage("topic1", payload, 0);
        rig.Device.Step();
        Assert.Equal(text, capture.Text);
        Assert.Equal(isOn, capture.IsOn);
        Assert.Equal("topic1", capture.Topic);
        Assert.DoesNotContain(rig.Monitor.Lines, l => l.StartsWith("Lesson:", StringComparison.Ordinal)); // comparing never throws
    }

    [Fact]
    public void Non_ascii_text_compares_by_its_utf8_bytes()
    {
        var capture = new Capture();
        var rig = Online(capture);
        rig.Mqtt.Listener.OnMessage("topic1", Encoding.UTF8.GetBytes("été"), 0);
        rig.Device.Step();
        Assert.True(capture.IsEte);
        Assert.False(capture.IsEteWithoutAccents);
    }

    [Fact]
    public void No_payload_is_held_once_its_message_has_been_handled()
    {
        var capture = new Capture();
        var rig = Online(capture);
        rig.Receive("topic1", new string('x', 4000));
        rig.Device.Step();

        // The board's heap cannot keep the last payload alive until the next message arrives.
        Assert.Equal(4000, capture.Text.Length);
        Assert.Empty(capture.Seen.Payload);
        Assert.Null(capture.Seen.Topic);
    }

    // ---- What the runner says when the lesson's Topics or a method goes wrong ---------------------------------

    private sealed class GivenTopics : ILesson
    {
        public string[] Given;
        public bool Throw;
        public string[] Topics() => Throw ? throw new InvalidOperationException("no topics today") : Given;
        public void OnMessage(MqttMessage message, Board board) => board.Print(message.Text);
        public void OnBootPress(Board board) { }
    }

    private static (LessonRunner Runner, RecordingMonitor Monitor) Runner(ILesson lesson)
    {
        var monitor = new RecordingMonitor();
        var board = new Board(monitor, new MessageLine(200), null, new FakePins());
        return (new LessonRunner(lesson, board, new FakeClock(), monitor, 1000), monitor);
    }

    [Fact]
    public void A_lesson_whose_topics_throw_is_named_and_the_device_subscribes_to_nothing()
    {
        var (runner, monitor) = Runner(new GivenTopics { Throw = true });
        Assert.Null(runner.Topics(FakeSettings.Valid()));
        Assert.Equal("Lesson: Topics failed: InvalidOperationException: no topics today (the device carries on)", monitor.Lines[0]);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_lesson_with_no_topics_only_publishes_and_says_so(bool asNull)
    {
        var (runner, monitor) = Runner(new GivenTopics { Given = asNull ? null : new string[0] });
        Assert.Empty(runner.Topics(FakeSettings.Valid()));
        Assert.Equal(new[] { "Lesson: Topics gave no topic; the device subscribes to nothing and only publishes" }, monitor.Lines);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void An_empty_topic_is_named_by_its_number_with_the_file_to_fix(string empty)
    {
        var (runner, monitor) = Runner(new GivenTopics { Given = new[] { "topic1", empty } });
        Assert.Null(runner.Topics(FakeSettings.Valid()));
        Assert.Equal(new[] { "Lesson: Topics: topic 2 is empty; fix Topics in Firmware/Lesson.cs" }, monitor.Lines);
    }

    [Fact]
    public void A_message_handed_over_without_a_payload_reads_as_empty_text()
    {
        var (runner, monitor) = Runner(new GivenTopics { Given = new[] { "topic1" } });
        runner.OnMessage("topic1", null);
        Assert.Equal(new[] { "" }, monitor.Lines);
    }

    private sealed class FramedException : Exception
    {
        private readonly string _trace;
        public FramedException(string trace) : base("boom") => _trace = trace;
        public override string StackTrace => _trace;
    }

    /// <summary>Named Custom: its frames are written by hand below, as a PC and the board print them.</summary>
    private sealed class Custom : ILesson
    {
        public string Trace;
        public string[] Topics() => new[] { "topic1" };
        public void OnMessage(MqttMessage message, Board board) => throw new FramedException(Trace);
        public void OnBootPress(Board board) { }
    }

    [Theory]
    [InlineData(null, null)] // no stack trace at all
    [InlineData("   at Other.Place()", null)] // no frame of the lesson
    [InlineData("   at A.CustomHelper.Go()", null)] // a longer name is another class
    [InlineData("abcdef.ghi", null)] // a dot where the name would end, but no name
    [InlineData("   at X.Custom\n   at IotyDevice.Custom::OnMessage [IP: 0004]", "at IotyDevice.Custom::OnMessage [IP: 0004]")] // the board's frame, after a line that only ends with the name
    [InlineData(".Custom.OnMessage() in Lesson.cs:line 7", ".Custom.OnMessage() in Lesson.cs:line 7")] // the name at the very start
    [InlineData("   at Other.Place()\n   at IotyDevice.Custom.OnMessage(MqttMessage message, Board board)", "at IotyDevice.Custom.OnMessage(MqttMessage message, Board board)")]
    public void The_lessons_frame_is_the_first_line_naming_the_lesson_class_and_none_is_printed_without_one(string trace, string expected)
    {
        var (runner, monitor) = Runner(new Custom { Trace = trace });
        runner.OnMessage("topic1", new byte[0]);
        Assert.Equal("Lesson: OnMessage (topic1) failed: FramedException: boom (the device carries on)", monitor.Lines[0]);
        Assert.Equal(expected == null ? new string[0] : new[] { "Lesson:   " + expected }, monitor.Lines.Skip(1));
    }

    private static class ToolKit
    {
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public static void Fail() => throw new InvalidOperationException("from a helper");
    }

    private sealed class Kit : ILesson
    {
        public string[] Topics() => new[] { "topic1" };
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
        public void OnMessage(MqttMessage message, Board board) => ToolKit.Fail();
        public void OnBootPress(Board board) { }
    }

    [Fact]
    public void A_helper_whose_name_ends_with_the_lessons_is_not_taken_for_the_lesson()
    {
        var (runner, monitor) = Runner(new Kit());
        runner.OnMessage("topic1", new byte[0]);
        string at = monitor.Lines.Single(l => l.StartsWith("Lesson:   "));
        Assert.Contains("Kit.OnMessage", at);
        Assert.DoesNotContain("ToolKit", at);
    }

    [Fact]
    public void A_lone_0x80_byte_is_not_the_character_u0080()
    {
        var capture = new Capture();
        var rig = Online(capture);
        rig.Mqtt.Listener.OnMessage("topic1", new byte[] { 0x80 }, 0);
        rig.Device.Step();
        Assert.Equal("\uFFFD", capture.Text);
        Assert.False(capture.IsU0080);
    }

    [Fact]
    public void The_settings_a_lesson_reads_are_the_ones_the_device_runs_with()
    {
        var lesson = new SettingsReader();
        var rig = Online(lesson);
        rig.Receive("topic1", "x");
        rig.Device.Step();
        Assert.Contains("abc123.s1.eu.hivemq.cloud", rig.Monitor.Lines);
    }

    private sealed class SettingsReader : ILesson
    {
        public string[] Topics() => new[] { "topic1" };
        public void OnMessage(MqttMessage message, Board board) => board.Print(board.Settings.BrokerHost);
        public void OnBootPress(Board board) { }
    }
}

public class BoardTests
{
    private static Board NewBoard() => new(new RecordingMonitor(), new MessageLine(200), null, null);

    [Theory]
    [InlineData(-1)]
    [InlineData(3)]
    public void A_publish_qos_must_be_0_1_or_2(int qos)
    {
        var e = Assert.Throws<ArgumentException>(() => NewBoard().Publish("topic2", "hello", qos, false));
        Assert.Equal("Publish: QoS " + qos + " is not an MQTT QoS; use 0, 1 or 2", e.Message);
    }

    private sealed class Captured : ILessonPublisher
    {
        public List<int> Qos { get; } = new();
        public void Publish(string topic, byte[] payload, string text, int qos, bool retain) => Qos.Add(qos);
    }

    [Fact]
    public void Qos_0_and_2_the_ends_of_the_range_are_published_as_asked()
    {
        var captured = new Captured();
        var board = new Board(new RecordingMonitor(), new MessageLine(200), captured, null);
        board.Publish("topic2", "hello", 0, false);
        board.Publish("topic2", new byte[] { 1 }, 2, false);
        Assert.Equal(new[] { 0, 2 }, captured.Qos);
    }

    [Fact]
    public void A_negative_pin_is_refused_naming_a_gpio_to_use()
    {
        var e = Assert.Throws<ArgumentException>(() => NewBoard().DigitalWrite(-1, true));
        Assert.Equal("DigitalWrite: pin -1 does not exist; use a GPIO number such as 4", e.Message);
    }

    [Fact]
    public void The_settings_a_lesson_reads_carry_no_password()
    {
        // A lesson's board.Print is mirrored to the monitor topic: what it can read, it can publish.
        var names = typeof(Board).GetProperty(nameof(Board.Settings))!.PropertyType.GetProperties().Select(p => p.Name).ToList();
        Assert.Contains("BrokerHost", names);
        Assert.DoesNotContain(names, n => n.Contains("Password", StringComparison.Ordinal));
    }

    [Fact]
    public void Publishing_no_text_or_no_payload_says_what_to_pass_for_an_empty_message()
    {
        var e = Assert.Throws<ArgumentException>(() => NewBoard().Publish("topic2", (string)null, 1, false));
        Assert.Equal("Publish needs a text (use \"\" for an empty message)", e.Message);
        e = Assert.Throws<ArgumentException>(() => NewBoard().Publish("topic2", (byte[])null, 1, false));
        Assert.Equal("Publish needs a payload (use new byte[0] for an empty message)", e.Message);
    }

    [Fact]
    public void Printing_no_text_prints_an_empty_line()
    {
        var monitor = new RecordingMonitor();
        new Board(monitor, new MessageLine(200), null, null).Print((string)null);
        Assert.Equal(new[] { "" }, monitor.Lines);
    }

    [Fact]
    public void A_board_without_output_pins_says_so()
    {
        var e = Assert.Throws<InvalidOperationException>(() => NewBoard().DigitalWrite(4, true));
        Assert.Equal("DigitalWrite: this device has no output pins", e.Message);
    }

    [Fact]
    public void Before_the_settings_are_read_any_pin_is_written()
    {
        var pins = new FakePins();
        new Board(new RecordingMonitor(), new MessageLine(200), null, pins).DigitalWrite(34, true);
        Assert.Equal(new[] { (34, true) }, pins.Writes);
    }
}
