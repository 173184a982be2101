using IotyDevice.TestKit;
using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>The README's mosquitto_sub and mosquitto_pub lines for watching the embedded broker, run by bash exactly
/// as written, from the clone's root, against the simulator started there with no option (port 8883, .simulator/).</summary>
[Collection(DefaultPortsCollection.Name)]
public class ReadmeBrokerExamplesTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    [Fact]
    public void The_READMEs_mosquitto_sub_and_mosquitto_pub_lines_reach_the_embedded_broker_as_written()
    {
        string root = Artifacts.RepositoryRoot;
        string[] examples = Examples(File.ReadAllText(Path.Combine(root, "README.md")));
        string sub = Assert.Single(examples, l => l.StartsWith("mosquitto_sub ", StringComparison.Ordinal));
        string pub = Assert.Single(examples, l => l.StartsWith("mosquitto_pub ", StringComparison.Ordinal));
        Assert.Equal(2, examples.Length);

        using var sim = SimulatorProcess.Start(root);
        ShellCommand subscriber = null;
        try
        {
            sim.Verify(() =>
            {
                string brokerLine = sim.WaitForLine("[sim] embedded broker: ", Long);
                Assert.True(brokerLine.StartsWith("[sim] embedded broker: mqtts://localhost:8883 ", StringComparison.Ordinal),
                    "port 8883 is taken on this machine (another simulator?), so the README's -p 8883 cannot reach this one: " + brokerLine);
                // As the README's transcript shows it: relative to where the simulator was started.
                Assert.Contains(sim.Lines, l => l.StartsWith("[sim] development CA: .simulator/ca.pem (", StringComparison.Ordinal));
                sim.WaitForLine("[sim] the device is online; running the script", Long);

                // mosquitto's tools send an empty client ID with a clean session; the broker assigns one.
                subscriber = ShellCommand.Start(root, sub);
                subscriber.WaitForLine("240ac412abfe/status online", Long);
                using (ShellCommand publisher = ShellCommand.Start(root, pub))
                    Assert.True(publisher.WaitForExit(Long) == 0, publisher.Transcript());
                sim.WaitForLine("Received on topic1: on", Long);
                subscriber.WaitForLine("topic1 on", Long);
                sim.Send("b");
                subscriber.WaitForLine("topic2 hello", Long);
            }, () => subscriber == null ? "" : "---- mosquitto_sub:\n" + subscriber.Transcript());
        }
        finally
        {
            subscriber?.Dispose();
        }
    }

    /// <summary>The README lines this test runs: its sh-block lines that start with mosquitto_.</summary>
    public static string[] Examples(string readme) =>
        Markdown.ShLines(readme).Where(l => l.StartsWith("mosquitto_", StringComparison.Ordinal)).ToArray();
}

/// <summary>Tests that need the simulator's default ports (8883) to themselves: run after the others, alone. The
/// README's commands run with the defaults too; the simulator moves to a free port when 8883 is taken, but the
/// README's mosquitto lines name 8883.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class DefaultPortsCollection
{
    public const string Name = "the simulator's default ports, alone";
}
