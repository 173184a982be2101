using System.Text.RegularExpressions;
using IotyDevice.TestKit;
using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>`monitor`: a simulated device and the monitor command as processes, on a real Mosquitto (TestKit) or on
/// the simulator's embedded broker, run with the README's arguments.</summary>
public class MonitorCommandTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private const string Board = "240ac412abfe"; // the simulator's made-up MAC

    [Fact]
    public void The_monitor_shows_the_device_lines_including_the_failures_it_printed_before_it_got_online()
    {
        using var broker = new MosquittoBroker(nameof(The_monitor_shows_the_device_lines_including_the_failures_it_printed_before_it_got_online));
        using var proxy = new TcpProxy(broker.Port) { Blocked = true }; // the broker is out of the device's reach at first
        using var dir = new TempDir();
        string watcherSettings = broker.WriteDeviceSettings(dir.Path); // the learner's settings.json
        string deviceSettings = MosquittoBroker.WriteSettingsFile(dir.File("device.json"), broker.DeviceSettings(s => s["BrokerPort"] = proxy.Port));

        using var device = SimulatorProcess.Start(dir.Path, "--settings", deviceSettings);
        using var monitor = SimulatorProcess.Start(dir.Path, "monitor", "--settings", watcherSettings);
        using var other = SimulatorProcess.Start(dir.Path, "monitor", "--settings", watcherSettings, "--board", "0123456789ab");
        monitor.Verify(() =>
        {
            // Three failed tries: the first lines are over a second old when they can go out, so they carry the mark.
            device.WaitForCount("MQTT: next try in", 3, Long);
            monitor.WaitForLine("[monitor] watching localhost:" + broker.Port + " as ioty-monitor-", Long);
            Assert.Contains("every board's monitor (+/monitor) and online/offline (+/status); Ctrl+C stops", monitor.Lines[0]);
            other.WaitForLine("[monitor] watching", Long);
            Assert.Contains("board 0123456789ab's monitor (0123456789ab/monitor)", other.Lines[0]);

            proxy.Blocked = false;
            monitor.WaitForLine("[" + Board + "] online", Long);
            monitor.WaitForLine("[" + Board + "] MQTT: subscribed to topic1", Long);
            device.WaitForLine("[app] connected to", Long); // the simulator's App Builder side retries every 3 s
            device.Send("pub topic1 on");
            monitor.WaitForLine("[" + Board + "] Received on topic1: on", Long);

            // The failure lines the device printed while it could not reach the broker, in the device's order.
            string[] printed = device.Lines.Where(l => !l.StartsWith('[')).ToArray();
            var ago = new Regex(@"^\(\d+ s ago\) ");
            string[] shown = monitor.Lines.Where(l => l.StartsWith("[" + Board + "] ", StringComparison.Ordinal) && !l.EndsWith("] online", StringComparison.Ordinal))
                .Select(l => ago.Replace(l[(Board.Length + 3)..], "")).ToArray();
            // The proxy resets a connection as it arrives: the device sees its TLS handshake fail.
            Assert.Contains(shown, l => l.StartsWith("MQTT: TLS handshake with localhost:" + proxy.Port + " failed", StringComparison.Ordinal)
                                        || l.StartsWith("MQTT: connection to localhost:" + proxy.Port + " failed", StringComparison.Ordinal));
            Assert.Contains(shown, l => l.StartsWith("MQTT: next try in", StringComparison.Ordinal));
            Assert.Equal(printed.Take(shown.Length), shown);
            Assert.Matches(@"^\[240ac412abfe\] \(\d+ s ago\) IotyDevice: starting$", monitor.Lines.First(l => l.Contains("IotyDevice: starting")));
            Assert.DoesNotContain(monitor.Lines, l => l.Contains(MosquittoBroker.DevicePassword, StringComparison.Ordinal));

            // --board of another chip ID shows none of it.
            Assert.DoesNotContain(other.Lines, l => l.StartsWith("[" + Board + "]", StringComparison.Ordinal));
        }, () => device.Transcript() + "\n" + other.Transcript() + "\n" + broker.LogText());
    }

    [Fact]
    public void Against_a_broker_that_is_not_the_simulators_the_monitor_says_so_and_suggests_the_port_the_simulator_printed()
    {
        // As when a system Mosquitto holds 8883 and the simulator moved to a free port: same host, someone else's CA.
        using var broker = new MosquittoBroker(nameof(Against_a_broker_that_is_not_the_simulators_the_monitor_says_so_and_suggests_the_port_the_simulator_printed));
        using var dir = new TempDir();
        string state = dir.File("state");
        using var monitor = SimulatorProcess.Start(dir.Path, "monitor", "--port", broker.Port.ToString(), "--state-dir", state);
        monitor.Verify(() =>
        {
            Assert.Equal(2, monitor.WaitForExit(Long));
            Assert.Contains(monitor.Lines, l => l.StartsWith("[monitor] MQTT: the broker's certificate was not accepted", StringComparison.Ordinal));
            Assert.Contains("[monitor] localhost:" + broker.Port + " is not the simulator's broker: its certificate does not chain to "
                + Path.Combine(state, "ca.pem") + ". The simulator prints its port (\"[sim] embedded broker: mqtts://localhost:<port>\"): run the monitor with --port <port>",
                monitor.Lines);
            Assert.DoesNotContain(monitor.Lines, l => l.Contains("is the simulator running?", StringComparison.Ordinal));
        }, () => broker.LogText());
    }

    [Fact]
    public void On_the_embedded_broker_the_monitor_of_one_board_follows_it_online_and_offline()
    {
        using var dir = new TempDir();
        string state = dir.File("state");
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--state-dir", state);
        string port = Regex.Match(sim.WaitForLine("[sim] embedded broker: mqtts://localhost:", Long), @"localhost:(\d+)").Groups[1].Value;
        sim.WaitForLine("MQTT: subscribed to topic1", Long);
        using var monitor = SimulatorProcess.Start(dir.Path, "monitor", "--board", Board, "--port", port, "--state-dir", state);
        monitor.Verify(() =>
        {
            monitor.WaitForLine("[" + Board + "] online", Long); // the retained status: it is there
            // Online: the status LED is steadily on (asked again until it has been on for the 1.5 s that make it steady).
            var asked = System.Diagnostics.Stopwatch.StartNew();
            while (sim.Count("[sim] status light GPIO2: on (steady for ") == 0 && asked.Elapsed < Long)
            {
                sim.Send("light");
                Thread.Sleep(500);
            }
            Assert.Contains(sim.Lines, l => l.StartsWith("[sim] status light GPIO2: on (steady for ", StringComparison.Ordinal));
            sim.Send("pub topic1 on");
            monitor.WaitForLine("[" + Board + "] Received on topic1: on", Long);
            // A WiFi drop: like a board, the device cannot say goodbye, so the broker's will says offline; back
            // online when the WiFi returns. Each transition once, however many status messages carry it.
            sim.Send("wifi off");
            sim.WaitForLine("WiFi: connection lost; reconnecting", Long);
            monitor.WaitForLine("[" + Board + "] offline", Long);
            sim.Send("wifi on");
            monitor.WaitForLine("WiFi: connection lost; reconnecting", Long); // printed offline, sent once back
            monitor.WaitForCount("[" + Board + "] MQTT: subscribed to topic1", 1, Long);
            monitor.WaitForCount("[" + Board + "] online", 2, Long);
            sim.Send("quit");
            monitor.WaitForCount("[" + Board + "] offline", 2, Long);
            string[] transitions = monitor.Lines.Where(l => l == "[" + Board + "] online" || l == "[" + Board + "] offline").ToArray();
            Assert.Equal(new[] { "online", "offline", "online", "offline" }.Select(t => "[" + Board + "] " + t), transitions);
        }, sim.Transcript);
    }

    [Fact]
    public void A_missing_settings_file_is_the_firmwares_line_and_exit_2()
    {
        using var dir = new TempDir();
        string missing = dir.File("settings.json");
        using var monitor = SimulatorProcess.Start(dir.Path, "monitor", "--settings", missing);
        monitor.Verify(() =>
        {
            Assert.Equal(2, monitor.WaitForExit(Long));
            Assert.Contains(monitor.Lines, l => l.StartsWith("Settings: no settings file at ", StringComparison.Ordinal)
                && l.Contains("copy settings.example.json to settings.json", StringComparison.Ordinal));
        });
    }

    public static TheoryData<string, Action<Dictionary<string, object>>, string> Refusals => new()
    {
        { "wrong password", s => s["BrokerPassword"] = "not-the-password", "[monitor] MQTT: refused: " },
        { "another CA", s => s["CaCertificate"] = TestPki.Instance.OtherCaPem, "[monitor] MQTT: the broker's certificate was not accepted; check CaCertificate" },
        { "bad settings", s => s["BrokerPort"] = 0, "  - BrokerPort: 0 is not a TCP port; use 8883 (MQTT over TLS)" },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public void A_monitor_that_cannot_watch_says_why_in_the_firmware_words_and_exits_2(string why, Action<Dictionary<string, object>> edit, string expected)
    {
        using var broker = new MosquittoBroker(nameof(A_monitor_that_cannot_watch_says_why_in_the_firmware_words_and_exits_2) + "-" + why.Replace(' ', '-'));
        using var dir = new TempDir();
        string settings = broker.WriteDeviceSettings(dir.Path, edit);
        using var monitor = SimulatorProcess.Start(dir.Path, "monitor", "--settings", settings);
        monitor.Verify(() =>
        {
            Assert.Equal(2, monitor.WaitForExit(Long));
            Assert.Contains(monitor.Lines, l => l.StartsWith(expected, StringComparison.Ordinal));
            Assert.DoesNotContain(monitor.Lines, l => l.Contains("[monitor] watching", StringComparison.Ordinal));
        }, broker.LogText);
    }

    [Fact]
    public void A_wrong_monitor_option_prints_the_monitor_usage_and_exits_1()
    {
        using var dir = new TempDir();
        using var monitor = SimulatorProcess.Start(dir.Path, "monitor", "--bord", "x");
        monitor.Verify(() =>
        {
            Assert.Equal(1, monitor.WaitForExit(Long));
            Assert.Empty(monitor.Lines); // all on stderr
            Assert.Contains("err| error: unknown monitor option '--bord'", monitor.Transcript());
            Assert.Contains("err|   dotnet run --project Host/IotyDevice.Simulator -- monitor [options]", monitor.Transcript());
        });
    }
}
