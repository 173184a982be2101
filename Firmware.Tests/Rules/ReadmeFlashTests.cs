namespace Firmware.Tests.Rules
{
    /// <summary>
    /// README.md's flash section, as far as it can be run without a board: each nanoff command parses against
    /// nanoff's options and names only images from the board table, and the board table agrees with nanoff's image
    /// choice and the firmware's pin rules. The second group feeds the checker broken input to prove it can fail.
    /// </summary>
    public class ReadmeFlashTests
    {
        private static string Readme => File.ReadAllText(Path.Combine(RepoPaths.Root, "README.md"));

        private static HashSet<string> TableImages(string readme)
        {
            var problems = new List<string>();
            var rows = ReadmeFlashChecker.BoardTable(readme, problems);
            Assert.Empty(problems);
            return rows.SelectMany(r => r.Images).ToHashSet();
        }

        // ---- the real README ----------------------------------------------------------------------------------

        [Fact]
        public void Every_nanoff_command_in_the_readme_parses_against_nanoffs_options()
        {
            string readme = Readme;
            var commands = ReadmeFlashChecker.NanoffCommands(readme);
            Assert.Contains("nanoff --platform esp32 --update --serialport <port>", commands); // auto-detection is the default
            Assert.Contains(commands, c => c.Contains("--update --target ", StringComparison.Ordinal)); // the named image is the fallback
            var images = TableImages(readme);
            Assert.Empty(commands.SelectMany(c => ReadmeFlashChecker.CommandProblems(c, images)));
        }

        [Fact]
        public void The_board_table_names_every_image_nanoff_picks_and_pins_the_firmware_accepts()
        {
            var problems = new List<string>();
            var rows = ReadmeFlashChecker.BoardTable(Readme, problems);
            problems.AddRange(ReadmeFlashChecker.BoardTableProblems(rows));
            Assert.Empty(problems);
            Assert.Contains(rows, r => r.Board == "esp32");
            Assert.Contains(rows, r => r.Board == "esp32s3");
            Assert.Contains(rows, r => r.Board == "esp32c3");
        }

        [Fact]
        public void Every_image_the_readme_names_is_one_nanoff_picks()
        {
            Assert.Empty(ReadmeFlashChecker.ImageNameProblems(Readme));
        }

        // ---- the checker fails on broken input -------------------------------------------------------------

        private static readonly string[] Images = { "ESP32_PSRAM_REV0", "ESP32_C3" };

        [Theory]
        [InlineData("nanoff --platform esp32 --update --serialport <port> --identify", "nanoff has no option --identify")]
        [InlineData("nanoff --platform esp32 --update --serialport", "--serialport needs a value")]
        [InlineData("nanoff --platform esp8266 --update --serialport COM3", "is not esp32")]
        [InlineData("nanoff --update --target ESP32_S3 --serialport COM3", "ESP32_S3 is not an image in the README's board table")]
        [InlineData("nanoff --update --serialport COM3", "needs --platform esp32 or --target")]
        [InlineData("nanoff --platform esp32 --update", "names no --serialport")]
        [InlineData("nanoff --platform esp32 --serialport COM3 --deploy --image app.bin", "--deploy needs --target")]
        [InlineData("nanoff --platform esp32 --serialport COM3", "does nothing")]
        [InlineData("nanoff --platform esp32 COM3 --update --serialport COM3", "'COM3' is not an option")]
        public void A_wrong_nanoff_command_is_named(string command, string expected)
        {
            Assert.Contains(ReadmeFlashChecker.CommandProblems(command, Images), p => p.Contains(expected, StringComparison.Ordinal));
        }

        [Fact]
        public void Commands_are_found_in_code_blocks_after_cd_and_in_inline_code_but_not_in_comments()
        {
            string readme = "```sh\nnanoff --update --target A --serialport x   # nanoff --bogus\ncd Firmware && nanoff --filedeployment d.json\n"
                + "dotnet tool install -g nanoff\n```\nor `nanoff --platform esp32 --update --serialport <port>` here\n";
            Assert.Equal(new[]
            {
                "nanoff --update --target A --serialport x",
                "nanoff --filedeployment d.json",
                "nanoff --platform esp32 --update --serialport <port>",
            }, ReadmeFlashChecker.NanoffCommands(readme));
        }

        private const string Header = "### Boards and pins\n\n| board | `Board` | image | BOOT | LED |\n|---|---|---|---|---|\n";

        private static List<string> TableProblems(string rows)
        {
            var problems = new List<string>();
            var parsed = ReadmeFlashChecker.BoardTable(Header + rows, problems);
            problems.AddRange(ReadmeFlashChecker.BoardTableProblems(parsed));
            return problems;
        }

        private const string GoodRows =
            "| DevKit | `esp32` | `ESP32_REV0` `ESP32_REV3` `ESP32_PSRAM_REV0` `ESP32_PSRAM_REV3` `ESP32_PSRAM_XTAL26_REV0` | GPIO0 → `0` | GPIO2 → `2` |\n"
            + "| S3 | `esp32s3` | `ESP32_S3_OCTAL` `ESP32_S3_QUAD` | GPIO0 → `0` | RGB → `-1` |\n"
            + "| C3 | `esp32c3` | `ESP32_C3` `ESP32_C3_BETA` | GPIO9 → `9` | GPIO8 → `8` |\n";

        [Fact]
        public void A_complete_table_passes()
        {
            Assert.Empty(TableProblems(GoodRows));
        }

        [Theory]
        [InlineData("GPIO9 → `9` | GPIO8", "GPIO0 → `0` | GPIO8", "BOOT GPIO0 is not the ESP32-C3's boot pin")]
        [InlineData("`ESP32_C3` `ESP32_C3_BETA`", "`ESP32_C3`", "nanoff can pick ESP32_C3_BETA but no row names it")]
        [InlineData("`ESP32_S3_OCTAL`", "`ESP32_S3`", "ESP32_S3 is not an image nanoff picks")]
        [InlineData("GPIO2 → `2`", "GPIO34 → `34`", "input-only")]
        [InlineData("GPIO2 → `2`", "GPIO12 → `12`", "strapping pin")]
        [InlineData("`esp32s3`", "`esp32s2`", "Board \"esp32s2\" is not one the firmware knows")]
        public void A_wrong_board_table_is_named(string good, string bad, string expected)
        {
            var problems = TableProblems(GoodRows.Replace(good, bad));
            Assert.Contains(problems, p => p.Contains(expected, StringComparison.Ordinal));
        }

        [Fact]
        public void A_made_up_image_name_anywhere_is_named()
        {
            Assert.Single(ReadmeFlashChecker.ImageNameProblems("flash `ESP32_S3_ALL` first, or ESP32_C3"));
        }
    }
}
