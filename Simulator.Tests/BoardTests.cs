using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>`--board esp32|esp32s3|esp32c3`: the simulator says which board it is, with the image and pins of the
/// README's board table; the device lines (the core's) are the same for every board.</summary>
public class BoardTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    /// <summary>Runs the embedded broker with no script: connect, then exit 0. Returns the stdout lines.</summary>
    private static string[] RunToConnected(params string[] board)
    {
        using var dir = new TempDir();
        using var sim = SimulatorProcess.Start(dir.Path, new[] { "--port", "0", "--state-dir", dir.File("state") }.Concat(board).ToArray());
        string[] lines = null;
        sim.Verify(() =>
        {
            sim.CloseInput();
            Assert.Equal(0, sim.WaitForExit(Long));
            lines = sim.Lines;
        });
        return lines;
    }

    /// <summary>The device's own lines, without the simulator's, the App Builder's and the changing broker port.</summary>
    private static string[] DeviceLines(string[] lines) =>
        lines.Where(l => !l.StartsWith("[", StringComparison.Ordinal))
            .Select(l => System.Text.RegularExpressions.Regex.Replace(l, "localhost:\\d+", "localhost:PORT"))
            .ToArray();

    [Theory]
    [InlineData("esp32c3", "[sim] board: a simulated ESP32-C3 (nanoff would flash ESP32_C3; BOOT GPIO9, status light GPIO8, the blue LED of an ESP32-C3 SuperMini)")]
    [InlineData("esp32s3", "[sim] board: a simulated ESP32-S3 (nanoff would flash ESP32_S3_OCTAL; BOOT GPIO0, no status light: the DevKitC-1's LED is RGB, not a plain GPIO)")]
    public void Another_board_changes_what_the_simulator_says_and_nothing_the_device_prints(string board, string boardLine)
    {
        string[] esp32 = RunToConnected();
        string[] other = RunToConnected("--board", board);

        Assert.Contains(esp32, l => l.StartsWith("[sim] board: a simulated ESP32 (nanoff would flash ESP32_REV0; BOOT GPIO0, status light GPIO2", StringComparison.Ordinal));
        Assert.Contains(other, l => l.StartsWith(boardLine, StringComparison.Ordinal));
        Assert.Contains("MQTT: connected (new session)", other);
        Assert.Equal(DeviceLines(esp32), DeviceLines(other)); // the board's pins pass the core's checks without a warning
    }

    [Fact]
    public void An_unknown_board_is_a_usage_error()
    {
        using var dir = new TempDir();
        using var sim = SimulatorProcess.Start(dir.Path, "--board", "esp8266");
        sim.Verify(() =>
        {
            sim.CloseInput();
            Assert.Equal(1, sim.WaitForExit(TimeSpan.FromSeconds(10)));
            string transcript = sim.Transcript();
            Assert.Contains("err| error: --board esp8266: expected esp32, esp32s3 or esp32c3", transcript);
            Assert.Contains("err|   --board <chip>", transcript);
        });
    }
}
