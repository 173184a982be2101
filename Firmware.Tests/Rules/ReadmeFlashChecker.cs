using System.Text.RegularExpressions;
using IotyDevice.Core;

namespace Firmware.Tests.Rules
{
    /// <summary>
    /// The README's flashing commands and board table against what nanoff and the firmware really accept. nanoff
    /// needs a board, so its commands cannot run here; instead every `nanoff ...` the README shows is parsed against
    /// nanoff's own options, and every image and pin in the board table is checked against nanoff's image choice,
    /// nanoFramework's target list and the firmware's pin rules (EspPins). Each check takes text and returns the
    /// problems found, so the tests can feed it broken input.
    /// </summary>
    public static class ReadmeFlashChecker
    {
        /// <summary>nanoff options that take a value, as declared in nanoframework/nanoFirmwareFlasher
        /// nanoFirmwareFlasher.Tool/Options.cs (commit baccab8).</summary>
        public static readonly string[] ValueOptions =
        {
            "serialport", "baud", "flashmode", "flashfreq", "partitiontablesize", "clrfile", "target", "platform",
            "verbosity", "backuppath", "backupfile", "fwversion", "image", "address", "filedeployment",
            "networkdeployment", "archivepath", "binfile", "hexfile", "dfuid", "jtagid", "jlinkid",
        };

        /// <summary>nanoff switches (no value) from the same Options.cs.</summary>
        public static readonly string[] SwitchOptions =
        {
            "update", "deploy", "preview", "masserase", "verify", "reset", "nofitcheck", "listtargets", "listports",
            "clearcache", "listdevices", "devicedetails", "identifyfirmware", "updatearchive", "fromarchive",
            "suppressnanoffversioncheck", "nanodevice", "checkpsram", "nobackupconfig",
        };

        /// <summary>The images nanoff's ESP32 auto-detection picks for ESP32, ESP32-S3 and ESP32-C3 chips
        /// (nanoFirmwareFlasher.Library/Esp32Operations.cs, UpdateFirmwareAsync; ESP32_PICO is for PICO-D4 chips,
        /// none of the README's boards). The README's board table must name each of them.</summary>
        public static readonly string[] AutoDetectedImages =
        {
            "ESP32_REV0", "ESP32_REV3", "ESP32_PSRAM_REV0", "ESP32_PSRAM_REV3", "ESP32_PSRAM_XTAL26_REV0",
            "ESP32_S3_OCTAL", "ESP32_S3_QUAD", "ESP32_C3", "ESP32_C3_BETA",
        };

        /// <summary>Images the README may name beyond those, from nanoframework/nf-interpreter
        /// targets/ESP32/CMakePresets.json: the one nanoff picks for ESP32-H2, named as a board that cannot run this.</summary>
        public static readonly string[] OtherImages = { "ESP32_H2_THREAD" };

        public static readonly string[] Actions = { "update", "deploy", "identifyfirmware", "filedeployment", "networkdeployment" };

        /// <summary>Every nanoff command line in the README: code-block lines and inline code, comments dropped.</summary>
        public static List<string> NanoffCommands(string readme)
        {
            var commands = new List<string>();
            bool inBlock = false;
            foreach (string raw in readme.Split('\n'))
            {
                string line = raw.TrimEnd('\r');
                if (line.TrimStart().StartsWith("```", StringComparison.Ordinal))
                {
                    inBlock = !inBlock;
                    continue;
                }

                if (inBlock)
                {
                    int hash = line.IndexOf(" #", StringComparison.Ordinal);
                    string code = hash >= 0 ? line.Substring(0, hash) : line;
                    int at = code.IndexOf("nanoff ", StringComparison.Ordinal);
                    if (at >= 0 && (at == 0 || code.Substring(0, at).TrimEnd().EndsWith("&&", StringComparison.Ordinal)))
                    {
                        commands.Add(code.Substring(at).Trim());
                    }
                    continue;
                }

                foreach (Match span in Regex.Matches(line, "`(nanoff [^`]+)`"))
                {
                    commands.Add(span.Groups[1].Value.Trim());
                }
            }

            return commands;
        }

        /// <summary>Problems with one nanoff command: unknown options, missing values, a platform other than esp32,
        /// an image that is neither a placeholder nor in the board table, and combinations nanoff cannot act on.</summary>
        public static List<string> CommandProblems(string command, ICollection<string> tableImages)
        {
            var problems = new List<string>();
            string[] tokens = Regex.Matches(command, "<[^>]*>|\\S+").Select(m => m.Value).ToArray();
            if (tokens.Length == 0 || tokens[0] != "nanoff")
            {
                problems.Add(command + ": not a nanoff command");
                return problems;
            }

            var given = new Dictionary<string, string>();
            for (int i = 1; i < tokens.Length; i++)
            {
                string token = tokens[i];
                if (!token.StartsWith("--", StringComparison.Ordinal))
                {
                    problems.Add(command + ": '" + token + "' is not an option (a value without its option?)");
                    continue;
                }

                string name = token.Substring(2);
                if (SwitchOptions.Contains(name))
                {
                    given[name] = null;
                }
                else if (ValueOptions.Contains(name))
                {
                    if (i + 1 >= tokens.Length || tokens[i + 1].StartsWith("--", StringComparison.Ordinal))
                    {
                        problems.Add(command + ": --" + name + " needs a value");
                        continue;
                    }
                    given[name] = tokens[++i];
                }
                else
                {
                    problems.Add(command + ": nanoff has no option --" + name);
                }
            }

            if (given.TryGetValue("platform", out string platform) && platform != "esp32")
            {
                problems.Add(command + ": --platform " + platform + " is not esp32");
            }

            if (given.TryGetValue("target", out string target) && !IsPlaceholder(target) && !tableImages.Contains(target))
            {
                problems.Add(command + ": --target " + target + " is not an image in the README's board table");
            }

            if (!Actions.Any(given.ContainsKey))
            {
                problems.Add(command + ": does nothing (no --" + string.Join(", --", Actions) + ")");
            }

            bool flashes = given.ContainsKey("update") || given.ContainsKey("deploy") || given.ContainsKey("identifyfirmware");
            if (flashes && !given.ContainsKey("serialport"))
            {
                problems.Add(command + ": talks to the board's bootloader but names no --serialport");
            }

            if (flashes && !given.ContainsKey("platform") && !given.ContainsKey("target"))
            {
                problems.Add(command + ": nanoff needs --platform esp32 or --target to know what to flash");
            }

            // Esp32Operations.DeployApplicationAsync looks the partition table up by target name.
            if (given.ContainsKey("deploy") && !given.ContainsKey("update") && !(given.ContainsKey("target") && given.ContainsKey("image")))
            {
                problems.Add(command + ": --deploy needs --target (the image on the board) and --image");
            }

            return problems;
        }

        public sealed class BoardRow
        {
            public string Name;
            public string Board;
            public List<string> Images = new List<string>();
            public int BootPin;
            public int? LedPin;
        }

        /// <summary>The rows of the table under "### Boards and pins".</summary>
        public static List<BoardRow> BoardTable(string readme, List<string> problems)
        {
            var rows = new List<BoardRow>();
            int start = readme.IndexOf("### Boards and pins", StringComparison.Ordinal);
            if (start < 0)
            {
                problems.Add("README.md has no \"### Boards and pins\" section");
                return rows;
            }

            foreach (string raw in readme.Substring(start).Split('\n').SkipWhile(l => !l.StartsWith("| board", StringComparison.Ordinal)).Skip(2))
            {
                string line = raw.TrimEnd('\r');
                if (!line.StartsWith("|", StringComparison.Ordinal))
                {
                    break;
                }

                string[] cells = line.Trim('|').Split('|').Select(c => c.Trim()).ToArray();
                if (cells.Length != 5)
                {
                    problems.Add("board table row has " + cells.Length + " cells, not 5: " + line);
                    continue;
                }

                var row = new BoardRow { Name = cells[0], Board = cells[1].Trim('`') };
                row.Images.AddRange(Regex.Matches(cells[2], "`(ESP32_[A-Z0-9_]+)`").Select(m => m.Groups[1].Value));
                Match boot = Regex.Match(cells[3], "^GPIO(\\d+) → `(\\d+)`$");
                if (!boot.Success || boot.Groups[1].Value != boot.Groups[2].Value)
                {
                    problems.Add(row.Name + ": BOOT cell \"" + cells[3] + "\" is not \"GPIOn → `n`\"");
                }
                else
                {
                    row.BootPin = int.Parse(boot.Groups[1].Value);
                }

                Match led = Regex.Match(cells[4], "→ `(-?\\d+)`");
                if (led.Success)
                {
                    row.LedPin = int.Parse(led.Groups[1].Value);
                }
                rows.Add(row);
            }

            if (rows.Count == 0)
            {
                problems.Add("the board table under \"### Boards and pins\" has no rows");
            }
            return rows;
        }

        /// <summary>Each row's images are real, every auto-detected image is in the table, and each row's BOOT and
        /// LED pins are what the firmware accepts for that Board without a warning.</summary>
        public static List<string> BoardTableProblems(List<BoardRow> rows)
        {
            var problems = new List<string>();
            foreach (BoardRow row in rows)
            {
                if (!EspPins.IsKnownBoard(row.Board))
                {
                    problems.Add(row.Name + ": Board \"" + row.Board + "\" is not one the firmware knows");
                    continue;
                }

                if (row.Images.Count == 0)
                {
                    problems.Add(row.Name + ": names no image");
                }

                foreach (string image in row.Images.Where(i => !AutoDetectedImages.Contains(i)))
                {
                    problems.Add(row.Name + ": " + image + " is not an image nanoff picks for an ESP32, ESP32-S3 or ESP32-C3");
                }

                if (row.BootPin != EspPins.BootButtonPin(row.Board))
                {
                    problems.Add(row.Name + ": BOOT GPIO" + row.BootPin + " is not the " + EspPins.ChipName(row.Board) + "'s boot pin");
                }

                var settings = new DeviceSettings { Chip = row.Board, BootButtonPin = row.BootPin, StatusLedPin = row.LedPin ?? -1 };
                var errors = SettingsValidator.Validate(settings).Cast<string>().Where(e => e.StartsWith("Chip", StringComparison.Ordinal)
                    || e.StartsWith("BootButtonPin", StringComparison.Ordinal) || e.StartsWith("StatusLedPin", StringComparison.Ordinal));
                var warnings = errors.Any() ? Enumerable.Empty<string>() : SettingsValidator.Warnings(settings).Cast<string>();
                foreach (string line in errors.Concat(warnings))
                {
                    problems.Add(row.Name + ": the firmware says \"" + line + "\" for the row's pins");
                }
            }

            foreach (string image in AutoDetectedImages.Where(i => !rows.Any(r => r.Images.Contains(i))))
            {
                problems.Add("board table: nanoff can pick " + image + " but no row names it");
            }
            return problems;
        }

        /// <summary>Every ESP32_ image named anywhere in the README is one nanoff picks or one the README explains.</summary>
        public static List<string> ImageNameProblems(string readme)
        {
            return Regex.Matches(readme, "ESP32_[A-Z0-9_]+").Select(m => m.Value).Distinct()
                .Where(i => !AutoDetectedImages.Contains(i) && !OtherImages.Contains(i))
                .Select(i => "README.md names " + i + ", which is not an image nanoff picks for the listed boards")
                .ToList();
        }

        private static bool IsPlaceholder(string value) => value.StartsWith("<", StringComparison.Ordinal) && value.EndsWith(">", StringComparison.Ordinal);
    }
}
