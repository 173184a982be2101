using System.Diagnostics;
using MQTTnet;
using IotyDevice.TestKit;
using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>`--settings settings.json`: the firmware's settings document, a real broker (Mosquitto over TLS here,
/// HiveMQ Cloud for a learner), and the same lines the firmware prints when something is wrong.</summary>
public class SettingsFileTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    [Fact]
    public void Lesson_flow_through_a_real_mosquitto_named_in_the_settings_file()
    {
        using var broker = new MosquittoBroker(nameof(Lesson_flow_through_a_real_mosquitto_named_in_the_settings_file));
        using var dir = new TempDir();
        string settings = broker.WriteDeviceSettings(dir.Path);
        using var sim = SimulatorProcess.Start(dir.Path, "--settings", settings);
        sim.Verify(() =>
        {
            var (peer, result) = AppPeers.TryConnect(broker.Port, MosquittoBroker.AppUser, MosquittoBroker.AppPassword, TestPki.Instance.CaPem);
            using (peer)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, result);
                peer.Subscribe("topic2");

                sim.WaitForLine("[sim] the device is online; running the script", Long);
                Assert.Contains("MQTT: connecting to localhost:" + broker.Port + " as 240ac412abfe...", sim.Lines);
                Assert.DoesNotContain(sim.Lines, l => l.StartsWith("[sim] embedded broker:", StringComparison.Ordinal));

                sim.Send("pub topic1 on");
                sim.WaitForLine("Received on topic1: on", Long);

                // Someone else on the broker (mosquitto_pub, MQTT Explorer, the real App Builder) reaches it too.
                peer.Publish("topic1", "off");
                sim.WaitForLine("Received on topic1: off", Long);

                sim.Send("b");
                sim.WaitForLine("[app] topic2: hello", Long);
                var clock = Stopwatch.StartNew();
                while (peer.TextsOn("topic2").Length == 0 && clock.Elapsed < Long) Thread.Sleep(20);
                Thread.Sleep(500); // room for a second hello to show up, if one press made two
                Assert.Equal(new[] { "hello" }, peer.TextsOn("topic2"));
                Assert.Equal(1, sim.Count("BOOT: sent hello to topic2"));
                Assert.Contains("as 240ac412abfe", broker.LogText()); // it really was this mosquitto

                sim.Send("quit");
                Assert.Equal(0, sim.WaitForExit(TimeSpan.FromSeconds(10)));
            }
        }, () => broker.LogText());
    }

    [Fact]
    public void Wrong_password_prints_the_credentials_line_keeps_retrying_then_once_mode_exits_2()
    {
        using var broker = new MosquittoBroker(nameof(Wrong_password_prints_the_credentials_line_keeps_retrying_then_once_mode_exits_2));
        using var dir = new TempDir();
        string settings = broker.WriteDeviceSettings(dir.Path, s => s["BrokerPassword"] = "not-the-password");
        using var sim = SimulatorProcess.Start(dir.Path, "--settings", settings, "--once", "--timeout", "4");
        sim.Verify(() =>
        {
            sim.CloseInput();
            Assert.Equal(2, sim.WaitForExit(Long));
            string[] lines = sim.Lines;
            // Mosquitto answers a wrong password with code 4 or 5; both lines name the credentials to check.
            Assert.Contains(lines, l => l.StartsWith("MQTT: refused: ", StringComparison.Ordinal) && l.Contains("BrokerPassword", StringComparison.Ordinal));
            Assert.Contains(lines, l => l.StartsWith("MQTT: next try in ", StringComparison.Ordinal));
            Assert.True(lines.Count(l => l.StartsWith("MQTT: connecting to ", StringComparison.Ordinal)) >= 2, "it retried");
            Assert.DoesNotContain(lines, l => l.StartsWith("MQTT: connected", StringComparison.Ordinal));
            Assert.Equal("[sim] the device did not connect to the broker within 4 s (see the lines above); exit code 2", lines.Last());
        }, () => broker.LogText());
    }

    public static TheoryData<string, string, string[]> BadSettings => new()
    {
        {
            "the example file, not filled in", "example",
            new[] { "Settings: 5 problem(s) in ", "  - WifiSsid: still the example value", "  - BrokerHost: still the example value",
                    "  - BrokerPassword: still the example value" }
        },
        {
            "not JSON", "{ \"WifiSsid\": \"lab\", }",
            new[] { "Settings: ", " is not valid JSON at line 1" }
        },
        {
            "no file", null,
            new[] { "Settings: no settings file at ", "; copy settings.example.json to settings.json, fill in your WiFi and broker details and put it there (README: Configure)" }
        },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void Invalid_settings_are_listed_as_the_firmware_lists_them_and_once_mode_exits_2(string why, string content, string[] expected)
    {
        using var dir = new TempDir();
        string settings = dir.File("settings.json");
        if (content == "example") File.Copy(Path.Combine(Artifacts.RepositoryRoot, "Firmware", "settings.example.json"), settings);
        else if (content != null) File.WriteAllText(settings, content);

        using var sim = SimulatorProcess.Start(dir.Path, "--settings", settings, "--once");
        sim.Verify(() =>
        {
            sim.CloseInput();
            // At once, not after the 20 s connect timeout: the settings will not fix themselves in a script.
            Assert.Equal(2, sim.WaitForExit(TimeSpan.FromSeconds(10)));
            string[] lines = sim.Lines;
            foreach (string fragment in expected)
                Assert.True(lines.Any(l => l.Contains(fragment, StringComparison.Ordinal)), why + ": expected a line containing \"" + fragment + "\"");
            Assert.Contains("Settings: waiting; fix them and the device picks them up within 10.0 s", lines);
            Assert.DoesNotContain(lines, l => l.StartsWith("MQTT: connecting", StringComparison.Ordinal));
            Assert.Equal("[sim] the settings have problems (listed above), so the device does not connect; exit code 2", lines.Last());
        });
    }

    [Fact]
    public void A_settings_typo_is_placed_by_line_and_column_and_no_secret_reaches_the_terminal_or_the_monitor_topic()
    {
        using var broker = new MosquittoBroker(nameof(A_settings_typo_is_placed_by_line_and_column_and_no_secret_reaches_the_terminal_or_the_monitor_topic));
        using var dir = new TempDir();
        string settings = broker.WriteDeviceSettings(dir.Path, s => { s["WifiPassword"] = "wifi-secret-77"; });
        string good = File.ReadAllText(settings);
        // An unquoted value starting with t, f or n: System.Text.Json's message quotes the file from there on.
        File.WriteAllText(settings, good.Replace("{", "{\n  \"KeepAliveSeconds\": tsixty,", StringComparison.Ordinal));
        string[] secrets = { MosquittoBroker.DevicePassword, "wifi-secret-77" };

        using var peer = AppPeers.Connect(broker);
        peer.Subscribe("+/monitor");
        // Interactive, on a terminal (script(1) gives it one): a script run would stop at the settings problem, and
        // the learner's way is to fix the file while the simulator waits.
        using var sim = ShellCommand.StartWithInput(dir.Path, "script -qec \"dotnet '" + SimulatorProcess.Dll + "' --settings '" + settings + "'\" /dev/null");
        string problem = sim.WaitForLineStarting("Settings: " + settings + " is not valid JSON at line 2, column ", Long);
        File.WriteAllText(settings, good); // fixed: the device connects and sends what it printed so far
        sim.WaitForLineStarting("MQTT: subscribed to topic1", Long);
        Wait.Until(peer.Changed, () => peer.ReceivedText.Contains(" is not valid JSON at line 2", StringComparison.Ordinal), Long,
            "the settings line on the monitor topic", () => peer.ReceivedText + "\n" + sim.Transcript());
        foreach (string secret in secrets)
        {
            Assert.DoesNotContain(secret, sim.Output(), StringComparison.Ordinal);
            Assert.DoesNotContain(secret, peer.ReceivedText, StringComparison.Ordinal);
        }
        Assert.DoesNotContain("tsixty", problem, StringComparison.Ordinal); // no quoted file text at all
        sim.Send("quit");
        Assert.Equal(0, sim.WaitForExit(TimeSpan.FromSeconds(10)));
    }
}
