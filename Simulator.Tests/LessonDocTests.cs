using System.Text;
using IotyDevice.TestKit;
using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>docs/lesson.md as a learner follows it: every command in its sh blocks, exactly as written, in order, in
/// a copy of this repository (so the learner's edit of Firmware/Lesson.cs never touches the real one). Each
/// `dotnet run --project Host/IotyDevice.Simulator` builds the simulator with whatever Lesson.cs the commands before
/// it copied in, which is the proof that the simulator runs an edited lesson unchanged.</summary>
public class LessonDocTests
{
    private static readonly TimeSpan PerCommand = TimeSpan.FromMinutes(4);
    private const string NotForTheBoard = "ListOfSizes.cs";

    [Fact]
    public void Every_command_of_docs_lesson_md_runs_as_written_and_each_swapped_in_lesson_is_the_one_the_simulator_runs()
    {
        string root = Artifacts.RepositoryRoot;
        string[] commands = Markdown.ShLines(File.ReadAllText(Path.Combine(root, "docs", "lesson.md")));
        Assert.True(commands.Length >= 8, "expected the sh blocks of docs/lesson.md, found: " + string.Join(" | ", commands));

        using var copy = new RepositoryCopy("lesson-doc");
        var transcript = new StringBuilder();
        var outputs = new List<(string Command, string Output)>();
        foreach (string command in commands)
        {
            var (code, output) = ShellCommand.Run(copy.Root, command, PerCommand);
            transcript.Append("$ ").AppendLine(command).AppendLine(output);
            // The one lesson the board cannot build: the simulator must refuse it, not run it.
            bool refused = outputs.Count > 0 && outputs[^1].Command == "cp docs/lessons/" + NotForTheBoard + " Firmware/Lesson.cs";
            Assert.True(refused ? code != 0 : code == 0, "`" + command + "` exited " + code + "\n" + transcript);
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

        // Stopped by the board's compiler, at the learner's line, before anything was simulated.
        string notForTheBoard = Ran(NotForTheBoard);
        Assert.Matches(@"Firmware/Lesson\.cs\(\d+,\d+\): error CS0246: The type or namespace name 'List<>' could not be found .*IotyDevice\.Core\.Nano\.csproj\]", notForTheBoard);
        Assert.DoesNotContain("IotyDevice: starting", notForTheBoard);

        // The last command puts the shipped lesson back.
        Assert.Equal(File.ReadAllText(Path.Combine(root, "Firmware", "Lesson.cs")), File.ReadAllText(copy.PathOf("Firmware/Lesson.cs")));
    }
}
