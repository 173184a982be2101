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
