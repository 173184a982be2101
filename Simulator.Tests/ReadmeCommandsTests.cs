using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Firmware.Tests.Rules;
using IotyDevice.TestKit;
using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>Every command README.md shows (each line of its ```sh blocks and each inline `dotnet run ...`) is either
/// run here exactly as written, by bash, from the root of a learner's copy of the repository, or is one that cannot
/// run here, checked by the test that covers it. The list is closed: a README command that none of this knows fails
/// <see cref="Every_README_command_is_run_here_or_checked_by_the_test_that_covers_it"/>.</summary>
public class ReadmeCommandsTests : IClassFixture<ReadmeCommandsTests.Lab>
{
    /// <summary>Each command's limit; the first `dotnet run` in the copy builds the simulator, later ones are incremental.</summary>
    private static readonly TimeSpan PerCommand = TimeSpan.FromMinutes(4);
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(30);
    private const string Board = "240ac412abfe"; // the simulator's made-up MAC

    private const string TheSimulator = "dotnet run --project Host/IotyDevice.Simulator";
    private const string PipedScript = "printf 'pub topic1 on\\nwait Received on topic1: on\\nb\\nwait [app] topic2: hello\\n' | " + TheSimulator;
    private const string OtherBoard = TheSimulator + " -- --board esp32c3";
    private const string MonitorOfTheSimulator = TheSimulator + " -- monitor";
    private const string SettingsConnect = TheSimulator + " -- --settings Firmware/settings.json --once </dev/null";
    private const string WithSettings = TheSimulator + " -- --settings Firmware/settings.json";
    private const string MonitorWithSettings = TheSimulator + " -- monitor --settings Firmware/settings.json";
    private const string MonitorOfOneBoard = MonitorWithSettings + " --board " + Board;

    /// <summary>The README commands this class runs (as bash runs them: without the trailing comment), each with the
    /// test that runs it.</summary>
    private static readonly Dictionary<string, string> RunHere = new()
    {
        [TheSimulator] = nameof(The_simulator_command_runs_until_the_board_is_online_and_exits_0_with_no_input),
        [PipedScript] = nameof(The_piped_script_presses_BOOT_and_the_App_Builder_sees_hello),
        [OtherBoard] = nameof(Another_board_says_the_image_and_pins_of_the_README_table),
        [MonitorOfTheSimulator] = nameof(Beside_the_simulator_the_monitor_shows_the_board_online_and_its_press_and_Ctrl_C_ends_it_cleanly),
        [SettingsConnect] = nameof(With_the_learners_settings_json_on_a_real_broker_the_board_connects_and_both_monitor_commands_show_it),
        [WithSettings] = nameof(With_the_learners_settings_json_on_a_real_broker_the_board_connects_and_both_monitor_commands_show_it),
        [MonitorWithSettings] = nameof(With_the_learners_settings_json_on_a_real_broker_the_board_connects_and_both_monitor_commands_show_it),
        [MonitorOfOneBoard] = nameof(With_the_learners_settings_json_on_a_real_broker_the_board_connects_and_both_monitor_commands_show_it),
    };

    private readonly Lab _lab;

    public ReadmeCommandsTests(Lab lab) => _lab = lab;

    // ---- the closed list ---------------------------------------------------------------------------------------

    /// <summary>Every command line of the README, as written: its sh-block lines, then its inline `dotnet run ...`.</summary>
    public static string[] Commands(string readme) =>
        Markdown.ShLines(readme).Concat(Markdown.InlineCode(readme).Where(c => c.StartsWith("dotnet run ", StringComparison.Ordinal))).ToArray();

    /// <summary>What is wrong with the README's commands as this class sees them: a command nothing runs or checks,
    /// one the test that should cover it does not, a command this class runs that the README no longer shows, a
    /// fenced block whose commands would not be read. Empty when every command is accounted for.</summary>
    public static List<string> Problems(string readme)
    {
        var problems = new List<string>();
        foreach (string language in Markdown.FenceLanguages(readme).Where(l => l != "sh" && l != ""))
            problems.Add("a ```" + language + " block: commands go in ```sh blocks (the ones read here), output in plain ``` blocks");

        string[] commands = Commands(readme);
        foreach (string line in commands)
        {
            string problem = Check(line, readme);
            if (problem != null) problems.Add(problem);
        }
        foreach (string command in RunHere.Keys.Where(k => !commands.Select(Markdown.WithoutComment).Contains(k)))
            problems.Add("the README no longer shows `" + command + "`: drop it from ReadmeCommandsTests.RunHere");
        return problems;
    }

    /// <summary>Null when <paramref name="line"/> is run by this class or checked by the test that covers it; else why not.</summary>
    private static string Check(string line, string readme)
    {
        string command = Markdown.WithoutComment(line);
        if (RunHere.ContainsKey(command)) return null;

        // The test command: not run from inside itself; it is what CI runs, and it runs this test.
        if (command == "bash scripts/test.sh")
        {
            string[] ci = File.ReadAllLines(Path.Combine(Artifacts.RepositoryRoot, ".ci", "run"));
            bool same = ci.Contains("cd \"$(dirname \"$0\")/..\"") && ci.Contains("exec " + command);
            bool runsUs = System.Text.RegularExpressions.Regex.IsMatch(File.ReadAllText(Path.Combine(Artifacts.RepositoryRoot, "scripts", "test.sh")),
                @"^for project in [^;\n]*\bSimulator\.Tests\b[^;\n]*; do$", System.Text.RegularExpressions.RegexOptions.Multiline);
            return same && runsUs ? null : "`" + line + "` is no longer what .ci/run runs from the repository root (exec " + command + "), or it no longer runs Simulator.Tests";
        }

        // nanoff needs a board: Firmware.Tests' ReadmeFlashTests parse each nanoff command with ReadmeFlashChecker.
        string nanoff = command.StartsWith("cd Firmware && ", StringComparison.Ordinal) ? command["cd Firmware && ".Length..] : command;
        if (nanoff.StartsWith("nanoff ", StringComparison.Ordinal))
        {
            if (nanoff != command && !Directory.Exists(Path.Combine(Artifacts.RepositoryRoot, "Firmware")))
                return "`" + line + "`: there is no Firmware folder to cd into";
            if (!ReadmeFlashChecker.NanoffCommands(readme).Contains(nanoff))
                return "`" + line + "` is not among the nanoff commands ReadmeFlashChecker finds, so ReadmeFlashTests does not check it";
            var tableProblems = new List<string>();
            var images = ReadmeFlashChecker.BoardTable(readme, tableProblems).SelectMany(r => r.Images).ToHashSet();
            var wrong = tableProblems.Concat(ReadmeFlashChecker.CommandProblems(nanoff, images)).ToList();
            return wrong.Count == 0 ? null : "`" + line + "`: " + string.Join("; ", wrong);
        }

        // The embedded broker's mosquitto lines need the simulator on port 8883: ReadmeBrokerExamplesTests runs them.
        if (command.StartsWith("mosquitto_sub ", StringComparison.Ordinal) || command.StartsWith("mosquitto_pub ", StringComparison.Ordinal))
        {
            return ReadmeBrokerExamplesTests.Examples(readme).Contains(line)
                ? null
                : "`" + line + "` is not among the lines ReadmeBrokerExamplesTests runs";
        }

        return "no test runs or checks the README command `" + line + "`: run it in ReadmeCommandsTests (RunHere) or name the test that covers it in Check";
    }

    [Fact]
    public void Every_README_command_is_run_here_or_checked_by_the_test_that_covers_it()
    {
        string readme = _lab.Readme;
        string[] commands = Commands(readme);
        List<string> problems = Problems(readme);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
        // The README's kinds of command, each at least once: a README that lost its blocks would pass trivially.
        Assert.Contains("bash scripts/test.sh", commands.Select(Markdown.WithoutComment));
        Assert.Equal(3, commands.Count(c => c.Contains("nanoff ", StringComparison.Ordinal)));
        Assert.Equal(2, commands.Count(c => c.StartsWith("mosquitto_", StringComparison.Ordinal)));
        Assert.Equal(RunHere.Keys.Order(), commands.Select(Markdown.WithoutComment).Where(RunHere.ContainsKey).Distinct().Order());
    }

    [Fact]
    public void A_README_command_that_nothing_runs_or_checks_is_named()
    {
        string readme = _lab.Readme;
        string added = readme + "\n```sh\ndotnet run --project Host/IotyDevice.Simulator -- --no-web   # a new example\n```\n";
        Assert.Equal(new[] { "no test runs or checks the README command `dotnet run --project Host/IotyDevice.Simulator -- --no-web   # a new example`: run it in ReadmeCommandsTests (RunHere) or name the test that covers it in Check" },
            Problems(added));

        // An inline command changed in the text is a new command, and the old one is gone.
        string changed = readme.Replace("`" + OtherBoard + "`", "`" + OtherBoard + " --no-web`");
        Assert.Contains(Problems(changed), p => p.StartsWith("no test runs or checks the README command `" + OtherBoard + " --no-web`", StringComparison.Ordinal));
        Assert.Contains(Problems(changed), p => p.StartsWith("the README no longer shows `" + OtherBoard + "`", StringComparison.Ordinal));

        Assert.Contains(Problems(readme.Replace("--identifyfirmware", "--identify")), p => p.Contains("nanoff has no option --identify", StringComparison.Ordinal));
        Assert.Contains(Problems(readme + "\n```bash\nls\n```\n"), p => p.StartsWith("a ```bash block", StringComparison.Ordinal));
    }

    // ---- run as written, on the simulator's embedded broker ----------------------------------------------------

    [Fact]
    public void The_simulator_command_runs_until_the_board_is_online_and_exits_0_with_no_input()
    {
        // With no input (as </dev/null) the simulator is in script mode: it waits until the board is online, then exits.
        using ShellCommand sim = RunToTheEnd(_lab.Line(TheSimulator));
        AssertPrinted(sim, "MQTT: subscribed to topic1");
        AssertPrinted(sim, "[sim] script done; exit code 0");
    }

    [Fact]
    public void The_piped_script_presses_BOOT_and_the_App_Builder_sees_hello()
    {
        using ShellCommand sim = RunToTheEnd(_lab.Line(PipedScript));
        AssertPrinted(sim, "Received on topic1: on");
        AssertPrinted(sim, "[app] topic2: hello");
        AssertPrinted(sim, "[sim] script done; exit code 0");
    }

    [Fact]
    public void Another_board_says_the_image_and_pins_of_the_README_table()
    {
        // "says which image nanoff would flash on that board and its BOOT and LED pins": the ESP32-C3 SuperMini row.
        using ShellCommand sim = RunToTheEnd(_lab.Line(OtherBoard));
        AssertPrinted(sim, "[sim] board: a simulated ESP32-C3 (nanoff would flash ESP32_C3; BOOT GPIO9, status light GPIO8, the blue LED of an ESP32-C3 SuperMini) with the made-up WiFi MAC 24:0a:c4:12:ab:fe and simulated WiFi (any network name joins); Enter = a BOOT press");
        Assert.Contains(_lab.Readme.Split('\n'), l => l.StartsWith("| ESP32-C3 SuperMini | `esp32c3` | `ESP32_C3` | GPIO9 → `9` | blue LED on GPIO8 → `8`", StringComparison.Ordinal));
        AssertPrinted(sim, "MQTT: subscribed to topic1"); // the built-in settings take those pins without a complaint
    }

    [Fact]
    public void Beside_the_simulator_the_monitor_shows_the_board_online_and_its_press_and_Ctrl_C_ends_it_cleanly()
    {
        // "run the simulator in one terminal and `dotnet run --project Host/IotyDevice.Simulator -- monitor` in another
        // (`--port <n>` if the simulator said it moved to another port)".
        using ShellCommand sim = ShellCommand.StartWithInput(_lab.Copy.Root, _lab.Line(TheSimulator));
        string port = Regex.Match(sim.WaitForLineStarting("[sim] embedded broker: mqtts://localhost:", PerCommand), @"localhost:(\d+)").Groups[1].Value;
        sim.WaitForLine("[sim] the device is online; running the script", Long);

        string moved = port == "8883" ? "" : " --port " + port;
        using ShellCommand monitor = ShellCommand.Start(_lab.Copy.Root, _lab.Line(MonitorOfTheSimulator) + moved);
        monitor.WaitForLineStarting("[monitor] watching localhost:" + port + " as ioty-monitor-", PerCommand);
        monitor.WaitForLine("[" + Board + "] online", Long);
        sim.Send(""); // Enter: a BOOT press
        monitor.WaitForLine("[" + Board + "] BOOT: sent hello to topic2", Long);

        StopWithCtrlC(monitor);
        sim.Send("quit");
        Assert.True(sim.WaitForExit(Long) == 0, sim.Transcript());
    }

    // ---- run as written, with the learner's settings.json on a real Mosquitto over TLS ------------------------

    [Fact]
    public void With_the_learners_settings_json_on_a_real_broker_the_board_connects_and_both_monitor_commands_show_it()
    {
        string copy = _lab.Copy.Root;
        int port = _lab.WriteSettingsJson();

        // "does my settings.json connect?"
        using (ShellCommand check = RunToTheEnd(_lab.Line(SettingsConnect)))
        {
            AssertPrinted(check, "MQTT: connecting to localhost:" + port + " as " + Board + "...");
            AssertPrinted(check, "MQTT: subscribed to topic1");
            AssertPrinted(check, "[sim] script done; exit code 0");
        }

        // The teacher's view (every board), then one board's, then the board itself: each in its own terminal.
        string watching = "[monitor] watching localhost:" + port + " as ioty-monitor-";
        using ShellCommand all = ShellCommand.Start(copy, _lab.Line(MonitorWithSettings));
        Assert.EndsWith(": every board's monitor (+/monitor) and online/offline (+/status); Ctrl+C stops", all.WaitForLineStarting(watching, PerCommand));
        using ShellCommand one = ShellCommand.Start(copy, _lab.Line(MonitorOfOneBoard));
        Assert.Contains("board " + Board + "'s monitor (" + Board + "/monitor)", one.WaitForLineStarting(watching, PerCommand));

        // "No broker starts inside the simulator then; the App Builder side uses the same broker".
        using ShellCommand board = ShellCommand.StartWithInput(copy, _lab.Line(WithSettings));
        board.WaitForLine("[sim] the device is online; running the script", PerCommand);
        board.WaitForLineStarting("[app] connected to localhost:" + port + " as ", Long);
        Assert.DoesNotContain(board.Lines, l => l.StartsWith("[sim] embedded broker", StringComparison.Ordinal));
        board.Send(""); // Enter: a BOOT press
        board.WaitForLine("BOOT: sent hello to topic2", Long);
        board.WaitForLine("[app] topic2: hello", Long);

        foreach (ShellCommand monitor in new[] { all, one })
        {
            monitor.WaitForLine("[" + Board + "] online", Long);
            monitor.WaitForLine("[" + Board + "] BOOT: sent hello to topic2", Long);
            Assert.DoesNotContain(monitor.Lines, l => l.Contains(MosquittoBroker.DevicePassword, StringComparison.Ordinal));
        }
        StopWithCtrlC(all);
        StopWithCtrlC(one);
        board.Send("quit");
        Assert.True(board.WaitForExit(Long) == 0, board.Transcript());
    }

    // ---- helpers -----------------------------------------------------------------------------------------------

    /// <summary>Runs a README line with no input to its end in the copy; it must exit 0.</summary>
    private ShellCommand RunToTheEnd(string line)
    {
        var command = ShellCommand.Start(_lab.Copy.Root, line);
        int code = command.WaitForExit(PerCommand);
        Assert.True(code == 0, "exit code " + code + ": " + command.Transcript());
        return command;
    }

    private static void AssertPrinted(ShellCommand command, string line) =>
        Assert.True(command.Lines.Contains(line), "no line \"" + line + "\" from: " + command.Transcript());

    /// <summary>Ctrl+C, as in the monitor's terminal: it exits 0 ("0 stopped with Ctrl+C") and leaves no process behind.</summary>
    private static void StopWithCtrlC(ShellCommand command)
    {
        command.Interrupt();
        int code = command.WaitForExit(Long);
        Assert.True(code == 0, "exit code " + code + " after Ctrl+C: " + command.Transcript());
        string[] left = command.ProcessesLeft();
        for (var clock = System.Diagnostics.Stopwatch.StartNew(); left.Length > 0 && clock.Elapsed < TimeSpan.FromSeconds(10); left = command.ProcessesLeft())
            Thread.Sleep(100);
        Assert.True(left.Length == 0, "still running in the command's process group after Ctrl+C:\n" + string.Join("\n", left));
    }

    [Fact]
    public void The_leftover_check_finds_a_process_a_command_left_running_and_Dispose_ends_it()
    {
        string[] left;
        using (var command = ShellCommand.Start(Path.GetTempPath(), "sleep 60 >/dev/null 2>&1 & exit 0"))
        {
            Assert.Equal(0, command.WaitForExit(Long));
            // The background child is bash's fork until it has exec'd sleep: look until it has.
            var started = System.Diagnostics.Stopwatch.StartNew();
            while (!(left = command.ProcessesLeft()).Any(p => p.EndsWith(" sleep 60", StringComparison.Ordinal)) && started.Elapsed < Long)
                Thread.Sleep(20);
            Assert.Equal(new[] { " sleep 60" }, left.Select(p => p[p.IndexOf(' ')..]));
        }
        int pid = int.Parse(left.Single().Split(' ')[0]);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        while (Running(pid) && clock.Elapsed < Long) Thread.Sleep(50);
        Assert.False(Running(pid), "sleep 60 (PID " + pid + ") outlived Dispose");

        static bool Running(int pid)
        {
            try
            {
                return !File.ReadAllText("/proc/" + pid + "/stat").Contains(") Z ", StringComparison.Ordinal); // a zombie has ended
            }
            catch (IOException)
            {
                return false; // reaped
            }
        }
    }

    /// <summary>What the class's tests share: one copy of the repository (the first `dotnet run` in it builds, the
    /// rest are incremental) and one Mosquitto over TLS, each made when first needed and removed at the end.</summary>
    public sealed class Lab : IDisposable
    {
        private readonly Lazy<RepositoryCopy> _copy = new(() => new RepositoryCopy("readme-commands"));
        private readonly Lazy<MosquittoBroker> _broker = new(() => new MosquittoBroker(nameof(ReadmeCommandsTests)));
        private readonly object _gate = new();
        private bool _settingsWritten;

        public string Readme { get; } = File.ReadAllText(Path.Combine(Artifacts.RepositoryRoot, "README.md"));

        public RepositoryCopy Copy => _copy.Value;

        /// <summary>The README's line (sh line or inline span, as written) whose command is <paramref name="command"/>.</summary>
        public string Line(string command)
        {
            string line = Commands(Readme).FirstOrDefault(c => Markdown.WithoutComment(c) == command);
            Assert.True(line != null, "the README does not show `" + command + "`");
            return line;
        }

        /// <summary>Firmware/settings.json in the copy as a learner makes it: the README's `cp` line, then every
        /// `&lt;...&gt;` filled in, here for the test's Mosquitto (its CA file copied next to the repository root and
        /// named relative to it, as the README says). Returns the broker's port.</summary>
        public int WriteSettingsJson()
        {
            MosquittoBroker broker = _broker.Value;
            lock (_gate)
            {
                if (_settingsWritten) return broker.Port;
                const string cp = "cp Firmware/settings.example.json Firmware/settings.json";
                Assert.Contains(cp, Markdown.InlineCode(Readme));
                var (code, output) = ShellCommand.Run(Copy.Root, cp, Long);
                Assert.True(code == 0, cp + ": " + output);

                File.Copy(TestPki.Instance.CaPem, Copy.PathOf("mosquitto-ca.pem"));
                string path = Copy.PathOf("Firmware/settings.json");
                JsonObject settings = JsonNode.Parse(File.ReadAllText(path)).AsObject();
                settings["WifiSsid"] = "ioty-lab";
                settings["WifiPassword"] = "wifi-pass-1";
                settings["BrokerHost"] = "localhost";
                settings["BrokerPort"] = broker.Port;
                settings["BrokerUsername"] = MosquittoBroker.DeviceUser;
                settings["BrokerPassword"] = MosquittoBroker.DevicePassword;
                settings["CaCertificate"] = "mosquitto-ca.pem";
                Assert.DoesNotContain(settings, s => s.Value.ToJsonString().StartsWith("\"<", StringComparison.Ordinal)); // every <...> filled in
                File.WriteAllText(path, settings.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
                _settingsWritten = true;
                return broker.Port;
            }
        }

        public void Dispose()
        {
            if (_broker.IsValueCreated) _broker.Value.Dispose();
            if (_copy.IsValueCreated) _copy.Value.Dispose();
        }
    }
}
