using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>`--status-led <pin>`: the built-in settings' StatusLedPin, so a lesson can have GPIO2 (the status light's
/// pin on an ESP32 DevKit) in the simulator as with "StatusLedPin": -1 on the board.</summary>
public class StatusLedTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    [Fact]
    public void With_status_led_minus_1_the_board_has_no_status_light_and_still_connects()
    {
        using var dir = new TempDir();
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--no-web", "--state-dir", dir.File("state"), "--status-led", "-1");
        sim.Verify(() =>
        {
            sim.Send("light");
            sim.CloseInput();
            Assert.Equal(0, sim.WaitForExit(Long));
            Assert.Contains(sim.Lines, l => l.StartsWith("[sim] board: a simulated ESP32 (nanoff would flash ESP32_REV0; BOOT GPIO0, no status light (--status-led -1))", StringComparison.Ordinal));
            Assert.Contains("[sim] status light no status light (StatusLedPin -1, or the device has not started)", sim.Lines);
            Assert.Contains("MQTT: subscribed to topic1", sim.Lines);
        });
    }

    [Theory]
    [InlineData("--status-led two", "err| error: --status-led two: expected a GPIO number, or -1 for no status light")]
    [InlineData("--settings settings.json --status-led -1", "err| error: --status-led is for the built-in settings; with --settings set StatusLedPin in the file")]
    public void A_status_led_the_simulator_cannot_use_is_a_usage_error(string arguments, string line)
    {
        using var dir = new TempDir();
        using var sim = SimulatorProcess.Start(dir.Path, arguments.Split(' '));
        sim.Verify(() =>
        {
            sim.CloseInput();
            Assert.Equal(1, sim.WaitForExit(TimeSpan.FromSeconds(10)));
            Assert.Contains(line, sim.Transcript());
        });
    }
}
