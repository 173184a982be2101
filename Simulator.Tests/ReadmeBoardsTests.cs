using IotyDevice.Core;
using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>README.md's boards table against the firmware's pin facts (EspPins, through the settings checks a board
/// runs at start). The table is found by its columns, which name the settings (`Chip`, `BootButtonPin`,
/// `StatusLedPin`), and a cell's value is its last `code` span, the value a learner copies into settings.json; the
/// rest of each cell is prose for people, free to change.</summary>
public class ReadmeBoardsTests
{
    /// <summary>One row of the boards table: the settings values it gives (null where a cell gives none) and its cells.</summary>
    public sealed record Row(string Board, int? BootButtonPin, int? StatusLedPin, string[] Cells)
    {
        public override string ToString() => Cells[0];
    }

    public static List<Row> Rows(string readme)
    {
        string[] columns = { "`" + nameof(DeviceSettings.Chip) + "`", "`" + nameof(DeviceSettings.BootButtonPin) + "`", "`" + nameof(DeviceSettings.StatusLedPin) + "`" };
        Markdown.Table table = Markdown.Tables(readme).FirstOrDefault(t => columns.All(c => t.Column(c) >= 0));
        Assert.True(table != null, "README.md has no table with the columns " + string.Join(", ", columns));
        string Value(string[] cells, string column) => Markdown.CodeSpans(cells[table.Column(column)]).LastOrDefault();
        int? Pin(string[] cells, string column) => int.TryParse(Value(cells, column), out int pin) ? pin : null;
        return table.Rows.Select(cells => new Row(Value(cells, columns[0]), Pin(cells, columns[1]), Pin(cells, columns[2]), cells)).ToList();
    }

    /// <summary>Each row names a chip the firmware knows, that chip's BOOT pin, and a light the firmware takes without
    /// a refusal or a warning; each chip has a row.</summary>
    public static List<string> Problems(List<Row> rows)
    {
        var problems = new List<string>();
        foreach (Row row in rows)
        {
            if (!EspPins.IsKnownBoard(row.Board))
            {
                problems.Add(row + ": `Chip` is `" + row.Board + "`; the firmware knows " + EspPins.KnownBoards);
                continue;
            }
            if (row.BootButtonPin != EspPins.BootButtonPin(row.Board))
                problems.Add(row + ": BOOT is `" + row.BootButtonPin + "`, but on an " + EspPins.ChipName(row.Board) + " it is GPIO" + EspPins.BootButtonPin(row.Board));
            var settings = new DeviceSettings { Chip = row.Board, BootButtonPin = EspPins.BootButtonPin(row.Board), StatusLedPin = row.StatusLedPin ?? DeviceSettings.NoStatusLed };
            foreach (string said in SettingsValidator.Validate(settings).Cast<string>().Concat(SettingsValidator.Warnings(settings).Cast<string>())
                .Where(l => l.StartsWith(nameof(DeviceSettings.StatusLedPin), StringComparison.Ordinal)))
                problems.Add(row + ": the firmware says \"" + said + "\" for its light");
        }
        foreach (string board in new[] { EspPins.Esp32, EspPins.Esp32S3, EspPins.Esp32C3 }.Where(b => rows.All(r => r.Board != b)))
            problems.Add("no row for `Chip` `" + board + "`");
        return problems;
    }

    [Fact]
    public void The_READMEs_boards_table_gives_the_pins_the_firmware_takes_for_each_chip()
    {
        string readme = File.ReadAllText(Path.Combine(IotyDevice.TestKit.Artifacts.RepositoryRoot, "README.md"));
        List<string> problems = Problems(Rows(readme));
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    private const string Table = """
        | board | `Chip` | image | BOOT → `BootButtonPin` | LED → `StatusLedPin` |
        |---|---|---|---|---|
        | DevKit V1 | `esp32` | `ESP32_REV0` | GPIO0 → `0` | blue LED on GPIO2 → `2` |
        | S3 DevKitC | `esp32s3` | `ESP32_S3_OCTAL` | GPIO0 → `0` | RGB → `-1`, or a plain LED on a free pin |
        | C3 SuperMini | `esp32c3` | `ESP32_C3` | GPIO9 → `9` | blue LED on GPIO8 → `8` (lit when low) |
        """;

    [Fact]
    public void A_table_the_firmware_agrees_with_passes_whatever_its_prose()
    {
        Assert.Empty(Problems(Rows(Table)));
        Assert.Empty(Problems(Rows(Table.Replace("blue LED on GPIO2", "the LED next to the USB port, GPIO2").Replace("| image |", "| image nanoff picks |"))));
    }

    [Theory]
    [InlineData("GPIO9 → `9`", "GPIO0 → `0`", "C3 SuperMini: BOOT is `0`, but on an ESP32-C3 it is GPIO9")]
    [InlineData("`esp32s3`", "`esp32s2`", "S3 DevKitC: `Chip` is `esp32s2`")]
    [InlineData("`esp32s3`", "`esp32`", "no row for `Chip` `esp32s3`")]
    [InlineData("GPIO2 → `2`", "GPIO34 → `34`", "DevKit V1: the firmware says \"StatusLedPin: GPIO34 is input-only")]
    [InlineData("GPIO2 → `2`", "GPIO12 → `12`", "DevKit V1: the firmware says \"StatusLedPin: GPIO12 is a strapping pin")]
    [InlineData("GPIO8 → `8`", "GPIO13 → `13`", "C3 SuperMini: the firmware says \"StatusLedPin: GPIO13 is wired to the")]
    public void A_row_the_firmware_disagrees_with_is_named(string good, string bad, string expected)
    {
        Assert.Contains(Problems(Rows(Table.Replace(good, bad))), p => p.StartsWith(expected, StringComparison.Ordinal));
    }
}
