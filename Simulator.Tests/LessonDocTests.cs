using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Xunit.Sdk;

namespace Simulator.Tests;

/// <summary>docs/lesson.md as a learner follows it: every command in its sh blocks, exactly as written, in order, in
/// a copy of this repository (so the learner's edit of Firmware/Lesson.cs never touches the real one). Each
/// `dotnet run --project Host/IotyDevice.Simulator` builds the simulator with whatever Lesson.cs the commands before
/// it copied in, which is the proof that the simulator runs an edited lesson unchanged.</summary>
public class LessonDocTests
{
    private static readonly TimeSpan PerCommand = TimeSpan.FromMinutes(4);

    [Fact]
    public void Every_command_of_docs_lesson_md_runs_as_written_and_each_swapped_in_lesson_is_the_one_the_simulator_runs()
    {
        string root = RepoRoot();
        string[] commands = ShCommands(File.ReadAllText(Path.Combine(root, "docs", "lesson.md")));
        Assert.True(commands.Length >= 8, "expected the sh blocks of docs/lesson.md, found: " + string.Join(" | ", commands));

        string copy = Path.Combine(Path.GetTempPath(), "ioty-lesson-doc-" + Guid.NewGuid().ToString("N")[..10]);
        var transcript = new StringBuilder();
        try
        {
            CopyRepository(root, copy);
            var outputs = new List<(string Command, string Output)>();
            foreach (string command in commands)
            {
                var (code, output) = Run(copy, command);
                transcript.Append("$ ").AppendLine(command).AppendLine(output);
                Assert.True(code == 0, "`" + command + "` exited " + code + "\n" + transcript);
                outputs.Add((command, output));
            }

            string Ran(string lessonFile) =>
                outputs[outputs.FindIndex(o => o.Command == "cp docs/lessons/" + lessonFile + " Firmware/Lesson.cs") + 1].Output;

            // Only the swapped-in lesson can make these lines; the shipped one prints messages and publishes on BOOT only.
            string pingPong = Ran("PingPong.cs");
            Assert.Contains("Received on topic1: ping", pingPong);
            Assert.Contains("Lesson: sent pong to topic2", pingPong);
            Assert.Contains("[app] topic2: pong", pingPong);
            Assert.Contains("[sim] script done; exit code 0", pingPong);

            string led = Ran("LedSwitch.cs");
            Assert.Contains("[pin] GPIO 4: on (high)", led);
            Assert.Contains("[pin] GPIO 4: off (low)", led);

            string counter = Ran("PressCounter.cs");
            Assert.Contains("BOOT: sent 1 to topic2", counter);
            Assert.Contains("BOOT: sent 2 to topic2", counter);

            string second = Ran("SecondTopic.cs");
            Assert.Contains("MQTT: subscribed to topic3", second);
            Assert.Contains("topic3 says hi", second);

            // The last command puts the shipped lesson back.
            Assert.Equal(File.ReadAllText(Path.Combine(root, "Firmware", "Lesson.cs")), File.ReadAllText(Path.Combine(copy, "Firmware", "Lesson.cs")));
        }
        finally
        {
            try { Directory.Delete(copy, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Each non-empty line of each ```sh block, as written.</summary>
    private static string[] ShCommands(string markdown) =>
        Regex.Matches(markdown, "```sh\\n(.*?)```", RegexOptions.Singleline)
            .SelectMany(m => m.Groups[1].Value.Split('\n'))
            .Where(l => l.Trim().Length > 0)
            .ToArray();

    private static string RepoRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IotyDevice.sln"))) return dir.FullName;
        }
        throw new XunitException("no IotyDevice.sln above " + AppContext.BaseDirectory);
    }

    /// <summary>The repository's files as a learner's clone has them (tracked, plus new files not ignored), committed
    /// in a fresh git repository so the doc's `git checkout Firmware/Lesson.cs` works there too.</summary>
    private static void CopyRepository(string root, string copy)
    {
        var (code, list) = Run(root, "git ls-files -co --exclude-standard -z");
        Assert.True(code == 0, "git ls-files failed: " + list);
        foreach (string relative in list.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            string from = Path.Combine(root, relative);
            if (!File.Exists(from)) continue; // deleted in the working tree
            string to = Path.Combine(copy, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(to));
            File.Copy(from, to);
        }
        var (initCode, initOutput) = Run(copy, "git init -q && git add -A && git -c user.name=test -c user.email=test@localhost commit -qm copy");
        Assert.True(initCode == 0, "git init in the copy failed: " + initOutput);
    }

    /// <summary>Runs one shell command (bash, as the doc's sh blocks are written for) with no stdin; bounded.</summary>
    private static (int Code, string Output) Run(string directory, string command)
    {
        var info = new ProcessStartInfo("bash")
        {
            WorkingDirectory = directory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(command);
        info.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        info.Environment["DOTNET_NOLOGO"] = "1";
        using var process = Process.Start(info);
        process.StandardInput.Close();
        var output = new StringBuilder();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(PerCommand))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, "timed out after " + PerCommand.TotalMinutes + " min\n" + stdout.Result + stderr.Result);
        }
        process.WaitForExit();
        return (process.ExitCode, stdout.Result + stderr.Result);
    }
}
