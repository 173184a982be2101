using System;
using System.IO;
using System.Text.Json;
using System.Text.Json.Serialization;
using IotyDevice.Core;

namespace IotyDevice.Host.Settings
{
    /// <summary>settings.json on the PC. Parsed with System.Text.Json set up like nanoFramework.Json on the
    /// device: property names match exactly (case-sensitive), numbers may come in quotes, no comments, no trailing
    /// commas; the text goes through the same SettingsJson.Prepare as on the board (BOM, null, a trailing quote) — so
    /// a file that works in the simulator also works on the board (Board.Tests SettingsReadersTests runs both readers
    /// over the same files). Properties missing from the file keep DeviceSettings' defaults; checking the values is
    /// SettingsValidator's job, not this class's.</summary>
    public sealed class JsonSettingsFile : ISettingsSource
    {
        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            PropertyNameCaseInsensitive = false,
            ReadCommentHandling = JsonCommentHandling.Disallow,
            AllowTrailingCommas = false,
            NumberHandling = JsonNumberHandling.AllowReadingFromString,
        };

        private readonly string _path;

        public JsonSettingsFile(string path)
        {
            if (string.IsNullOrEmpty(path)) throw new ArgumentException("a settings file path is needed", "path");
            _path = path;
        }

        public string Location { get { return _path; } }

        /// <summary>A relative path is the working directory's, as the transport (CaTrust) reads it.</summary>
        public bool HasFile(string path) { return File.Exists(path); }

        public DeviceSettings Read(out string problem)
        {
            string text;
            try
            {
                // ReadAllText drops a UTF-8 BOM, which editors on Windows like to add.
                text = File.ReadAllText(_path);
            }
            catch (Exception e) when (e is FileNotFoundException || e is DirectoryNotFoundException)
            {
                problem = null; // no file: the core says how to make one, in the same words as on the board
                return null;
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                problem = "Cannot read " + _path + " (" + e.Message + "): check the file's permissions.";
                return null;
            }

            text = SettingsJson.Prepare(text, _path, out problem);
            if (text == null)
            {
                return null;
            }

            try
            {
                DeviceSettings settings = JsonSerializer.Deserialize<DeviceSettings>(text, Options);
                if (settings == null)
                {
                    problem = _path + " holds no settings object: it must start with { and end with }.";
                    return null;
                }
                problem = null;
                return settings;
            }
            catch (JsonException e)
            {
                // Only the position: System.Text.Json's message quotes the file from the error on (an unquoted
                // word quotes the rest of it, BrokerPassword included), and every settings line is also mirrored
                // to the monitor topic.
                string at = " at line " + (e.LineNumber + 1) + ", column " + (e.BytePositionInLine + 1);
                bool wrongType = !string.IsNullOrEmpty(e.Path) && e.Path != "$" && e.Message.Contains("could not be converted");
                problem = wrongType
                    ? _path + at + ": " + e.Path.Substring(2) + " has the wrong kind of value (numbers and true/false without quotes, text in quotes)."
                    : _path + " is not valid JSON" + at + ": fix it there (quotes around names and text, true, false and null spelt out, commas between entries, no comments).";
                return null;
            }
        }
    }
}
