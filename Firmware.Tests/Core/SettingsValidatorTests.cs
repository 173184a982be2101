using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

public class SettingsValidatorTests
{
    private static List<string> Problems(Action<DeviceSettings> change)
    {
        var settings = FakeSettings.Valid();
        change(settings);
        return SettingsValidator.Validate(settings).Cast<string>().ToList();
    }

    [Fact]
    public void Complete_settings_have_no_problems()
    {
        Assert.Empty(Problems(_ => { }));
    }

    [Fact]
    public void Defaults_are_the_ioty_lesson()
    {
        var settings = new DeviceSettings();
        Assert.Equal(8883, settings.BrokerPort);
        Assert.Equal(DeviceSettings.BuiltInIsrgRootX1, settings.CaCertificate);
        Assert.Equal(60, settings.KeepAliveSeconds);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(70000)]
    public void A_port_outside_1_to_65535_is_named_with_the_fix(int port)
    {
        var problem = Assert.Single(Problems(s => s.BrokerPort = port));
        Assert.StartsWith("BrokerPort: " + port, problem);
        Assert.Contains("8883", problem);
    }

    [Fact]
    public void Every_missing_field_is_listed_together()
    {
        var problems = Problems(s =>
        {
            s.WifiSsid = null;
            s.WifiPassword = null;
            s.BrokerHost = "";
            s.BrokerUsername = null;
            s.BrokerPassword = " ";
        });
        var fields = problems.Select(p => p[..p.IndexOf(':')]).ToList();
        Assert.Equal(new[] { "WifiSsid", "WifiPassword", "BrokerHost", "BrokerUsername", "BrokerPassword" }, fields);
        Assert.All(problems, p => Assert.Contains("missing; put", p));
    }

    [Fact]
    public void Each_missing_setting_says_what_to_put_there()
    {
        var problems = Problems(s =>
        {
            s.WifiSsid = null;
            s.WifiPassword = null;
            s.BrokerHost = null;
            s.BrokerUsername = null;
            s.BrokerPassword = null;
            s.CaCertificate = null;
            s.ClientIdPrefix = null;
        });
        Assert.Equal(new[]
        {
            "WifiSsid: missing; put the name of your 2.4 GHz WiFi network",
            "WifiPassword: missing; put your WiFi password (\"\" for an open network)",
            "BrokerHost: missing; put your broker's host name, e.g. abc123.s1.eu.hivemq.cloud",
            "BrokerUsername: missing; put the user name of your broker's access credentials",
            "BrokerPassword: missing; put the password of your broker's access credentials",
            "CaCertificate: missing; put \"" + DeviceSettings.BuiltInIsrgRootX1 + "\" (HiveMQ Cloud), \"" + DeviceSettings.DeviceCaStore
                + "\", or the path of your broker's CA PEM file",
            "ClientIdPrefix: must be a string; use \"\" for none",
        }, problems);
    }

    [Theory]
    [InlineData("topic2/#")]
    [InlineData("topic+")]
    [InlineData("+")]
    public void A_wildcard_in_a_publish_topic_is_refused(string topic)
    {
        Assert.Contains("wildcard", SettingsValidator.TopicProblem(topic, false));
    }

    [Theory]
    [InlineData("topic1/#")]
    [InlineData("+/status")]
    [InlineData("#")]
    public void Proper_wildcards_are_fine_in_a_subscribe_topic(string topic)
    {
        Assert.Null(SettingsValidator.TopicProblem(topic, true));
    }

    [Theory]
    [InlineData("topic1#")]
    [InlineData("a/#/b")]
    [InlineData("a+/b")]
    public void Misplaced_wildcards_in_a_subscribe_topic_are_refused(string topic)
    {
        Assert.NotNull(SettingsValidator.TopicProblem(topic, true));
    }

    [Fact]
    public void A_nul_in_a_topic_is_refused()
    {
        Assert.Contains("NUL", SettingsValidator.TopicProblem("a\0b", true));
    }

    [Theory]
    [InlineData("mqtts://abc.hivemq.cloud")]
    [InlineData("abc.hivemq.cloud:8883")]
    [InlineData("abc.hivemq.cloud/")]
    public void A_url_instead_of_a_host_name_is_explained(string host)
    {
        var problem = Assert.Single(Problems(s => s.BrokerHost = host));
        Assert.Contains("bare host name", problem);
    }

    [Theory]
    [InlineData("mqtts://learner:s3cret-Pa55@abc.hivemq.cloud:8883")]
    [InlineData("learner:s3cret-Pa55@abc.hivemq.cloud")]
    [InlineData("mqtts://learner:s3cret-Pa55@abc.hivemq.cloud/")]
    public void A_url_with_credentials_is_refused_without_echoing_them(string host)
    {
        string problem = Assert.Single(Problems(s => s.BrokerHost = host));
        Assert.DoesNotContain("s3cret-Pa55", problem);
        Assert.DoesNotContain("learner", problem);
        Assert.Contains("\"abc.hivemq.cloud\"", problem); // the part that belongs here
        Assert.Contains("BrokerUsername and BrokerPassword", problem);
    }

    [Theory]
    [InlineData("mqtts://learner:s3cret@Pa55@abc.hivemq.cloud:8883")]
    [InlineData("learner:s3cret@Pa55@abc.hivemq.cloud")]
    public void A_url_whose_password_holds_an_at_sign_is_refused_without_echoing_any_part_of_it(string host)
    {
        string problem = Assert.Single(Problems(s => s.BrokerHost = host));
        Assert.DoesNotContain("s3cret", problem);
        Assert.DoesNotContain("Pa55", problem);
        Assert.Contains("\"abc.hivemq.cloud\"", problem);
    }

    [Theory]
    [InlineData("abc.hivemq.cloud?x=1")]
    [InlineData("abc!hivemq.cloud")]
    [InlineData("abc_hivemq.cloud")]
    [InlineData("abc.hivemq.cloud\\")]
    public void A_broker_host_with_characters_no_host_name_has_is_refused(string host)
    {
        string problem = Assert.Single(Problems(s => s.BrokerHost = host));
        Assert.StartsWith("BrokerHost: ", problem);
        Assert.Contains("letters, digits, dots and dashes", problem);
    }

    [Theory]
    [InlineData("broker-1.example.org")]
    [InlineData("localhost")]
    [InlineData("192.168.1.20")]
    [InlineData("::1")]
    [InlineData("fe80::1ff:fe23:4567:890a")]
    public void Host_names_and_ip_literals_are_accepted(string host)
    {
        Assert.Empty(Problems(s => s.BrokerHost = host));
    }

    [Theory]
    [InlineData("WifiSsid")]
    [InlineData("WifiPassword")]
    [InlineData("BrokerHost")]
    [InlineData("BrokerUsername")]
    [InlineData("BrokerPassword")]
    [InlineData("CaCertificate")]
    [InlineData("ClientIdPrefix")]
    [InlineData("Chip")]
    public void A_control_character_in_any_string_is_refused_by_name_without_printing_it(string field)
    {
        var property = typeof(DeviceSettings).GetProperty(field)!;
        var problems = Problems(s => property.SetValue(s, property.GetValue(s) + "\u001b[2J\nMQTT: connected\u0085"));
        Assert.Contains(field + ": contains a control character (a line break, tab, escape or similar); retype the value without it", problems);
        Assert.All(problems, p => Assert.DoesNotContain(p, c => Utf8.MustReplace(c)));
    }

    [Fact]
    public void A_control_character_in_a_topic_is_refused_and_no_problem_line_carries_one()
    {
        var problems = Problems(s => { s.StatusTopic = "{clientId}/status\r"; s.MonitorTopic = "m\u202E"; });
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Contains("contains a control character", p));
        Assert.All(problems, p => Assert.DoesNotContain(p, c => Utf8.MustReplace(c)));
    }

    [Fact]
    public void Example_placeholders_count_as_not_filled_in()
    {
        var problems = Problems(s => { s.WifiSsid = "<your WiFi name>"; s.BrokerPassword = "<broker password>"; });
        Assert.Equal(2, problems.Count);
        Assert.All(problems, p => Assert.Contains("still the example value", p));
    }

    [Theory]
    [InlineData("short")]
    [InlineData("0123456789012345678901234567890123456789012345678901234567890123")]
    public void A_wpa2_password_must_be_8_to_63_characters(string password)
    {
        Assert.StartsWith("WifiPassword:", Assert.Single(Problems(s => s.WifiPassword = password)));
    }

    public static TheoryData<string, Action<DeviceSettings>> EachLimitsLastAcceptedValue => new()
    {
        { "WifiPassword of 8", s => s.WifiPassword = new string('p', 8) },
        { "WifiPassword of 63", s => s.WifiPassword = new string('p', 63) },
        { "BrokerPort 1", s => s.BrokerPort = 1 },
        { "BrokerPort 65535", s => s.BrokerPort = 65535 },
        { "KeepAliveSeconds 10", s => s.KeepAliveSeconds = 10 },
        { "KeepAliveSeconds 1200", s => s.KeepAliveSeconds = 1200 },
        { "ClientIdPrefix of 11", s => s.ClientIdPrefix = new string('c', 11) },
        { "WifiSsid of 32 UTF-8 bytes", s => s.WifiSsid = new string('é', 16) },
    };

    [Theory]
    [MemberData(nameof(EachLimitsLastAcceptedValue))]
    public void Each_limit_accepts_its_edge_value(string what, Action<DeviceSettings> change)
    {
        Assert.True(Problems(change).Count == 0, what);
    }

    public static TheoryData<string, Action<DeviceSettings>> OnePastEachLimit => new()
    {
        { "WifiPassword:", s => s.WifiPassword = new string('p', 7) },
        { "WifiPassword:", s => s.WifiPassword = new string('p', 64) },
        { "BrokerPort:", s => s.BrokerPort = 65536 },
        { "KeepAliveSeconds:", s => s.KeepAliveSeconds = 9 },
        { "KeepAliveSeconds:", s => s.KeepAliveSeconds = 1201 },
        { "ClientIdPrefix:", s => s.ClientIdPrefix = new string('c', 12) },
        { "WifiSsid:", s => s.WifiSsid = new string('é', 16) + "a" }, // 17 characters, 33 bytes
    };

    [Theory]
    [MemberData(nameof(OnePastEachLimit))]
    public void One_past_each_limit_is_refused_naming_the_setting(string setting, Action<DeviceSettings> change)
    {
        Assert.StartsWith(setting, Assert.Single(Problems(change)));
    }

    [Fact]
    public void The_example_wifi_password_is_refused_as_not_filled_in()
    {
        string problem = Assert.Single(Problems(s => s.WifiPassword = "<your WiFi password>"));
        Assert.Equal("WifiPassword: still the example value; put your WiFi password", problem);
    }

    [Fact]
    public void An_open_network_has_an_empty_password()
    {
        Assert.Empty(Problems(s => s.WifiPassword = ""));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(5000)]
    public void Keepalive_must_be_sensible(int seconds)
    {
        Assert.StartsWith("KeepAliveSeconds:", Assert.Single(Problems(s => s.KeepAliveSeconds = seconds)));
    }

    [Fact]
    public void An_empty_status_topic_turns_availability_off_without_complaint()
    {
        Assert.Empty(Problems(s => s.StatusTopic = ""));
    }

    [Fact]
    public void A_wildcard_status_topic_is_refused()
    {
        Assert.StartsWith("StatusTopic:", Assert.Single(Problems(s => s.StatusTopic = "{clientId}/#")));
    }

    [Theory]
    [InlineData("a/b")]
    [InlineData("has space")]
    [InlineData("muchtoolongprefix")]
    public void A_client_id_prefix_must_be_short_and_plain(string prefix)
    {
        Assert.StartsWith("ClientIdPrefix:", Assert.Single(Problems(s => s.ClientIdPrefix = prefix)));
    }

    [Fact]
    public void No_problem_line_repeats_a_password()
    {
        var problems = Problems(s => { s.BrokerPort = 0; s.WifiPassword = "short"; });
        Assert.DoesNotContain(problems, p => p.Contains("broker-secret-456") || p.Contains("short\""));
    }

    [Fact]
    public void A_control_character_in_the_broker_host_gives_only_its_own_line_never_the_value()
    {
        string problem = Assert.Single(Problems(s => s.BrokerHost = "mqtts://abc.hivemq.cloud:8883\n"));
        Assert.Equal("BrokerHost: contains a control character (a line break, tab, escape or similar); retype the value without it", problem);
    }

    [Fact]
    public void Credentials_before_an_at_sign_at_the_very_start_are_still_refused_as_credentials()
    {
        string problem = Assert.Single(Problems(s => s.BrokerHost = "@abc.hivemq.cloud"));
        Assert.Equal("BrokerHost: has a user name or password in it (before the @); put only the host name here, \"abc.hivemq.cloud\", "
            + "and the credentials in BrokerUsername and BrokerPassword", problem);
    }

    [Theory]
    [InlineData("mqtts://localhost:8883")]   // two colons but letters no IPv6 address has, and no dot
    [InlineData("mqtts://abc.hivemq.cloud:8883")]
    [InlineData("/abc.hivemq.cloud")]
    [InlineData(":8883")]
    [InlineData(" abc.hivemq.cloud")]
    public void A_host_with_a_scheme_port_path_or_space_anywhere_gets_the_bare_host_name_line(string host)
    {
        string problem = Assert.Single(Problems(s => s.BrokerHost = host));
        Assert.Equal("BrokerHost: \"" + host + "\" is not a bare host name; remove any mqtts://, :port, path or spaces (the port goes in BrokerPort)", problem);
    }

    [Theory]
    [InlineData("AZaz09.broker-host.org")]
    [InlineData("FE80::1AF")]
    [InlineData("fe80::abcdef:ABCDEF")]
    [InlineData("::ffff:192.168.1.20")]
    public void Host_names_and_ipv6_literals_with_every_letter_range_edge_are_accepted(string host)
    {
        Assert.Empty(Problems(s => s.BrokerHost = host));
    }

    public static TheoryData<string, Action<DeviceSettings>> OneProblemLineWordForWord => new()
    {
        // a blank host is only missing, not also a host with a space
        { "BrokerHost: missing; put your broker's host name, e.g. abc123.s1.eu.hivemq.cloud", s => s.BrokerHost = "   " },
        // the example host is only not filled in, not also a host with a space
        { "BrokerHost: still the example value; put your broker's host name, e.g. abc123.s1.eu.hivemq.cloud", s => s.BrokerHost = "<your cluster URL>" },
        // an empty pair of angle brackets is a placeholder too
        { "WifiSsid: still the example value; put the name of your 2.4 GHz WiFi network", s => s.WifiSsid = "<>" },
        { "StatusTopic: \"{clientId}/#\" has a wildcard (+ or #); you can only publish to a plain topic (or \"\" to turn availability off)",
            s => s.StatusTopic = "{clientId}/#" },
        { "KeepAliveSeconds: 5000 is out of range; use 10 to 1200 (60 is usual)", s => s.KeepAliveSeconds = 5000 },
    };

    [Theory]
    [MemberData(nameof(OneProblemLineWordForWord))]
    public void Each_problem_is_one_line_naming_the_setting_and_the_fix_word_for_word(string line, Action<DeviceSettings> change)
    {
        Assert.Equal(line, Assert.Single(Problems(change)));
    }

    [Fact]
    public void A_nul_at_the_start_of_a_topic_is_named_as_a_nul()
    {
        Assert.Equal("contains a NUL character", SettingsValidator.TopicProblem("\0a", true));
    }

    [Fact]
    public void A_topic_of_65535_bytes_is_the_longest_accepted()
    {
        Assert.Null(SettingsValidator.TopicProblem(new string('t', 65535), false));
        Assert.Equal("longer than 65535 bytes", SettingsValidator.TopicProblem(new string('t', 65534) + "é", false));
    }

    [Theory]
    [InlineData(null, "Chip: null is not a chip")]
    [InlineData("esp8266", "Chip: \"esp8266\" is not a chip")]
    public void An_unknown_chip_line_quotes_what_was_typed_and_lists_the_choices(string chip, string start)
    {
        string problem = Assert.Single(Problems(s => s.Chip = chip));
        Assert.Equal(start + " this firmware knows; use \"esp32\", \"esp32s3\" or \"esp32c3\" (see \"Boards and pins\" in README.md)", problem);
    }

    [Fact]
    public void Pins_are_not_judged_when_the_chip_is_unknown()
    {
        string problem = Assert.Single(Problems(s => { s.Chip = "esp8266"; s.BootButtonPin = 30; s.StatusLedPin = 30; }));
        Assert.StartsWith("Chip: ", problem);
    }

    [Theory]
    [InlineData("esp32s3", 23, "BootButtonPin: GPIO23 does not exist on an ESP32-S3; pick another pin (see \"Boards and pins\" in README.md)")]
    [InlineData("esp32c3", 14, "BootButtonPin: GPIO14 is wired to the ESP32-C3 module's SPI flash; using it stops the board; pick another pin (see \"Boards and pins\" in README.md)")]
    [InlineData("esp32", 9, "BootButtonPin: GPIO9 is wired to the ESP32 module's SPI flash; using it stops the board; pick another pin (see \"Boards and pins\" in README.md) (if your board is an ESP32-S3 or ESP32-C3, set Chip)")]
    public void A_refused_button_pin_line_says_to_pick_another_and_only_an_esp32_one_to_set_the_chip(string chip, int pin, string line)
    {
        string problem = Assert.Single(Problems(s => { s.Chip = chip; s.BootButtonPin = pin; s.StatusLedPin = -1; }));
        Assert.Equal(line, problem);
    }

    private static List<string> Warnings(Action<DeviceSettings> change)
    {
        var settings = FakeSettings.Valid();
        change(settings);
        Assert.Empty(SettingsValidator.Validate(settings).Cast<string>()); // warnings are only for accepted settings
        return SettingsValidator.Warnings(settings).Cast<string>().ToList();
    }

    [Fact]
    public void A_button_on_a_strapping_pin_warning_names_the_boards_own_boot_pin()
    {
        string warning = Assert.Single(Warnings(s => { s.BootButtonPin = 12; s.StatusLedPin = -1; }));
        Assert.Equal("BootButtonPin: GPIO12 is a strapping pin: held high at reset it sets the flash to 1.8 V and a 3.3 V-flash board "
            + "does not boot; BOOT on an ESP32 board is GPIO0", warning);
    }

    [Fact]
    public void The_c3s_gpio0_warning_says_where_boot_is()
    {
        string warning = Assert.Single(Warnings(s => { s.Chip = "esp32c3"; s.BootButtonPin = 0; s.StatusLedPin = -1; }));
        Assert.Equal("BootButtonPin: GPIO0 is not the BOOT button on an ESP32-C3 board; BOOT is GPIO9 (see \"Boards and pins\" in README.md)", warning);
    }

    [Fact]
    public void A_c3_button_on_an_ordinary_pin_other_than_gpio0_has_no_warning()
    {
        Assert.Empty(Warnings(s => { s.Chip = "esp32c3"; s.BootButtonPin = 4; s.StatusLedPin = 8; }));
    }
}

/// <summary>The monitor topic is checked by the settings, and against the lesson's topics when the lesson is asked
/// for them (the board must not receive its own monitor lines).</summary>
public class MonitorTopicValidationTests
{
    private static List<string> Problems(string subscribe, string monitor, string prefix = "")
    {
        var settings = FakeSettings.Valid();
        settings.MonitorTopic = monitor;
        settings.ClientIdPrefix = prefix;
        var problems = SettingsValidator.Validate(settings).Cast<string>().ToList();
        if (problems.Count > 0) return problems;

        var monitorLines = new RecordingMonitor();
        var runner = new LessonRunner(new Subscriber(subscribe), new Board(monitorLines, new MessageLine(200), null, null),
                                      new FakeClock(), monitorLines, 1000);
        runner.Topics(settings);
        return monitorLines.Lines;
    }

    private sealed class Subscriber(string topic) : ILesson
    {
        public string[] Topics() => new[] { topic };
        public void OnMessage(MqttMessage message, Board board) { }
        public void OnBootPress(Board board) { }
    }

    [Fact]
    public void The_default_monitor_topic_is_the_client_id_then_monitor()
    {
        Assert.Equal("{clientId}/monitor", new DeviceSettings().MonitorTopic);
        Assert.Empty(Problems("topic1", new DeviceSettings().MonitorTopic));
    }

    [Theory]
    [InlineData("#", "{clientId}/monitor", "")]
    [InlineData("+/monitor", "{clientId}/monitor", "")]
    [InlineData("240ac412abfe/monitor", "{clientId}/monitor", "")]
    [InlineData("class3-240ac412abfe/+", "{clientId}/monitor", "class3-")]
    [InlineData("topic1", "topic1", "")]
    [InlineData("lab/#", "lab", "")]
    [InlineData("lab/+/log", "lab/{clientId}/log", "")]
    public void A_monitor_topic_the_subscription_would_bring_back_is_refused(string subscribe, string monitor, string prefix)
    {
        string problem = Assert.Single(Problems(subscribe, monitor, prefix));
        Assert.StartsWith("Lesson: Topics: \"" + subscribe + "\" matches MonitorTopic \"" + monitor + "\"", problem);
        Assert.Contains("or set MonitorTopic to another topic or \"\" in settings.json", problem);
    }

    [Theory]
    [InlineData("topic1", "{clientId}/monitor", "")]
    [InlineData("topic1/#", "{clientId}/monitor", "")]
    [InlineData("+/status", "{clientId}/monitor", "")]
    [InlineData("monitor/+", "{clientId}/monitor", "")]          // a client ID is never "monitor"
    [InlineData("240ac412abfe/monitor", "{clientId}/monitor", "class3-")] // the prefix makes it another ID
    [InlineData("#", "", "")]                                        // off
    [InlineData("+/+", "$monitor/{clientId}", "")]                  // wildcards never match $ topics
    public void A_monitor_topic_outside_the_subscription_is_fine(string subscribe, string monitor, string prefix)
    {
        Assert.Empty(Problems(subscribe, monitor, prefix));
    }

    [Fact]
    public void A_monitor_topic_with_a_wildcard_is_refused_with_the_way_to_turn_it_off()
    {
        string problem = Assert.Single(Problems("topic1", "{clientId}/#"));
        Assert.StartsWith("MonitorTopic: \"{clientId}/#\" has a wildcard", problem);
        Assert.EndsWith("(or \"\" to turn the monitor over MQTT off)", problem);
    }

    [Fact]
    public void A_monitor_topic_equal_to_the_status_topic_is_refused()
    {
        string problem = Assert.Single(Problems("topic1", "{clientId}/status"));
        Assert.StartsWith("MonitorTopic: the same as StatusTopic", problem);
    }
}
