using System.Collections;

namespace IotyDevice.Core
{
    /// <summary>Checks the whole settings document once, before anything connects, and lists every problem
    /// together — each line names the field and the fix — so a learner fixes the file in one go.</summary>
    public static class SettingsValidator
    {
        /// <summary>Returns the problems as strings; empty when the settings are usable.</summary>
        public static ArrayList Validate(DeviceSettings s)
        {
            ArrayList errors = new ArrayList();

            RequireFilled(errors, "WifiSsid", s.WifiSsid, "the name of your 2.4 GHz WiFi network");
            if (s.WifiSsid != null && Utf8.Encode(s.WifiSsid).Length > 32)
            {
                errors.Add("WifiSsid: longer than 32 bytes; WiFi network names are at most 32 bytes");
            }

            if (s.WifiPassword == null)
            {
                errors.Add("WifiPassword: missing; put your WiFi password (\"\" for an open network)");
            }
            else if (s.WifiPassword.Length != 0 && (s.WifiPassword.Length < 8 || s.WifiPassword.Length > 63))
            {
                errors.Add("WifiPassword: must be 8 to 63 characters (WPA2), or \"\" for an open network");
            }
            else if (IsPlaceholder(s.WifiPassword))
            {
                errors.Add("WifiPassword: still the example value; put your WiFi password");
            }

            if (RequireFilled(errors, "BrokerHost", s.BrokerHost, "your broker's host name, e.g. abc123.s1.eu.hivemq.cloud")
                && !HasControlCharacter(s.BrokerHost))
            {
                int at = s.BrokerHost.LastIndexOf('@');
                bool ipv6 = IsIpv6Literal(s.BrokerHost);
                if (at >= 0)
                {
                    // Pasted from a URL with credentials: name only the host part, never echo the rest.
                    errors.Add("BrokerHost: has a user name or password in it (before the @); put only the host name here, \""
                        + HostPart(s.BrokerHost.Substring(at + 1)) + "\", and the credentials in BrokerUsername and BrokerPassword");
                }
                // A scheme (mqtts://) is caught by its '/' and ':'.
                else if (!ipv6 && (s.BrokerHost.IndexOf('/') >= 0 || s.BrokerHost.IndexOf(':') >= 0 || s.BrokerHost.IndexOf(' ') >= 0))
                {
                    errors.Add("BrokerHost: \"" + s.BrokerHost + "\" is not a bare host name; remove any mqtts://, :port, path or spaces (the port goes in BrokerPort)");
                }
                else if (!ipv6 && !IsHostName(s.BrokerHost))
                {
                    // It is printed on every connect line and sent to DNS: only what a host name can hold.
                    errors.Add("BrokerHost: \"" + s.BrokerHost + "\" is not a host name; use letters, digits, dots and dashes only, e.g. abc123.s1.eu.hivemq.cloud, or an IP address");
                }
            }

            if (s.BrokerPort < 1 || s.BrokerPort > 65535)
            {
                errors.Add("BrokerPort: " + s.BrokerPort.ToString() + " is not a TCP port; use 8883 (MQTT over TLS)");
            }

            RequireFilled(errors, "BrokerUsername", s.BrokerUsername, "the user name of your broker's access credentials");
            RequireFilled(errors, "BrokerPassword", s.BrokerPassword, "the password of your broker's access credentials");
            RequireFilled(errors, "CaCertificate", s.CaCertificate,
                "\"" + DeviceSettings.BuiltInIsrgRootX1 + "\" (HiveMQ Cloud), \"" + DeviceSettings.DeviceCaStore + "\", or the path of your broker's CA PEM file");

            if (s.ClientIdPrefix == null)
            {
                errors.Add("ClientIdPrefix: must be a string; use \"\" for none");
            }
            else if (s.ClientIdPrefix.Length > 11 || HasAnyOf(s.ClientIdPrefix, "+#/ "))
            {
                errors.Add("ClientIdPrefix: use at most 11 letters, digits, - or _ (the chip ID follows it)");
            }

            if (s.StatusTopic != null) // "" (availability off) has no problem
            {
                string problem = TopicProblem(s.StatusTopic, false);
                if (problem != null)
                {
                    errors.Add("StatusTopic: " + problem + " (or \"\" to turn availability off)");
                }
            }

            CheckMonitorTopic(errors, s);

            if (s.KeepAliveSeconds < 10 || s.KeepAliveSeconds > 1200)
            {
                errors.Add("KeepAliveSeconds: " + s.KeepAliveSeconds.ToString() + " is out of range; use 10 to 1200 (60 is usual)");
            }

            PinErrors(errors, s);
            ControlCharacterErrors(errors, s);
            for (int i = 0; i < errors.Count; i++)
            {
                // A line quotes what the learner typed: it must print as one line whatever that holds.
                errors[i] = Utf8.Printable((string)errors[i]);
            }

            return errors;
        }

        /// <summary>What works but may surprise the learner (a strapping pin, a pin the module or USB may use, a
        /// board's RGB LED that a plain pin cannot light), as lines naming the setting; printed once when the
        /// settings are accepted, never blocking. Only meaningful for settings <see cref="Validate"/> accepts.</summary>
        public static ArrayList Warnings(DeviceSettings s)
        {
            ArrayList warnings = new ArrayList();
            string chip = EspPins.ChipName(s.Chip);

            // The board's own BOOT button is meant to sit on the boot strapping pin: that is what makes it BOOT.
            if (s.BootButtonPin != EspPins.BootButtonPin(s.Chip))
            {
                string caution = EspPins.Caution(s.Chip, s.BootButtonPin);
                if (caution != null)
                {
                    warnings.Add("BootButtonPin: GPIO" + s.BootButtonPin.ToString() + " is " + caution + "; BOOT on an " + chip
                        + " board is GPIO" + EspPins.BootButtonPin(s.Chip).ToString());
                }
                else if (s.Chip == EspPins.Esp32C3 && s.BootButtonPin == 0)
                {
                    warnings.Add("BootButtonPin: GPIO0 is not the BOOT button on an ESP32-C3 board; BOOT is GPIO9 (" + EspPins.BoardTable + ")");
                }
            }

            string light = s.StatusLedPin == DeviceSettings.NoStatusLed ? null : EspPins.LightCaution(s.Chip, s.StatusLedPin);
            if (light != null)
            {
                warnings.Add("StatusLedPin: GPIO" + s.StatusLedPin.ToString() + " " + light);
            }

            return warnings;
        }

        private static void PinErrors(ArrayList errors, DeviceSettings s)
        {
            if (!EspPins.IsKnownBoard(s.Chip))
            {
                errors.Add("Chip: " + Quoted(s.Chip) + " is not a chip this firmware knows; use " + EspPins.KnownBoards + " (" + EspPins.BoardTable + ")");
                return; // the pins cannot be checked without the chip
            }

            string fix = "; pick another pin (" + EspPins.BoardTable + ")";
            string wrongBoard = s.Chip == EspPins.Esp32 ? " (if your board is an ESP32-S3 or ESP32-C3, set Chip)" : "";
            string problem = EspPins.Problem(s.Chip, s.BootButtonPin, false);
            if (problem != null)
            {
                errors.Add("BootButtonPin: " + problem + fix + wrongBoard);
            }

            if (s.StatusLedPin == DeviceSettings.NoStatusLed)
            {
                return;
            }

            problem = EspPins.Problem(s.Chip, s.StatusLedPin, true);
            if (problem != null)
            {
                errors.Add("StatusLedPin: " + problem + fix + ", or -1 for no status light" + wrongBoard);
            }
            else if (s.StatusLedPin == s.BootButtonPin)
            {
                errors.Add("StatusLedPin: GPIO" + s.StatusLedPin.ToString() + " is already BootButtonPin; give the light its own pin, or -1 for none");
            }
        }

        private static string Quoted(string value)
        {
            return value == null ? "null" : "\"" + value + "\"";
        }

        /// <summary>Control characters pass unseen through an editor and print raw on every line that shows the
        /// value (a newline forges a monitor line); topics are checked by <see cref="TopicProblem"/>.</summary>
        private static void ControlCharacterErrors(ArrayList errors, DeviceSettings s)
        {
            string[] names = { "WifiSsid", "WifiPassword", "BrokerHost", "BrokerUsername", "BrokerPassword", "CaCertificate", "ClientIdPrefix", "Chip" };
            string[] values = { s.WifiSsid, s.WifiPassword, s.BrokerHost, s.BrokerUsername, s.BrokerPassword, s.CaCertificate, s.ClientIdPrefix, s.Chip };
            for (int i = 0; i < names.Length; i++)
            {
                if (values[i] != null && HasControlCharacter(values[i]))
                {
                    errors.Add(names[i] + ": " + ControlCharacter);
                }
            }
        }

        private const string ControlCharacter = "contains a control character (a line break, tab, escape or similar); retype the value without it";

        private static bool HasControlCharacter(string text)
        {
            for (int i = 0; i < text.Length; i++)
            {
                if (Utf8.MustReplace(text[i]))
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>A DNS name or an IPv4 address: ASCII letters, digits, dots and dashes.</summary>
        private static bool IsHostName(string host)
        {
            for (int i = 0; i < host.Length; i++)
            {
                char c = host[i];
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' || c == '-'))
                {
                    return false;
                }
            }

            return true;
        }

        /// <summary>An IPv6 address as text: hex digits, colons (at least two) and dots (an embedded IPv4 address).</summary>
        private static bool IsIpv6Literal(string host)
        {
            int colons = 0;
            for (int i = 0; i < host.Length; i++)
            {
                char c = host[i];
                if (c == ':')
                {
                    colons++;
                }
                else if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F') || c == '.'))
                {
                    return false;
                }
            }

            return colons >= 2;
        }

        /// <summary>Why a topic is unusable, or null. Filters may hold + (a whole level) and # (the whole last level).</summary>
        public static string TopicProblem(string topic, bool isFilter)
        {
            if (topic.IndexOf('\0') >= 0)
            {
                return "contains a NUL character";
            }

            if (HasControlCharacter(topic))
            {
                return ControlCharacter;
            }

            if (Utf8.Encode(topic).Length > 65535)
            {
                return "longer than 65535 bytes";
            }

            if (!isFilter)
            {
                return HasAnyOf(topic, "+#") ? "\"" + topic + "\" has a wildcard (+ or #); you can only publish to a plain topic" : null;
            }

            string[] levels = topic.Split('/');
            for (int i = 0; i < levels.Length; i++)
            {
                string level = levels[i];
                bool wildcardOnly = level == "+" || (level == "#" && i == levels.Length - 1);
                if (!wildcardOnly && HasAnyOf(level, "+#"))
                {
                    return "\"" + topic + "\" uses a wildcard wrongly; + must be a whole level and # the whole last level";
                }
            }

            return null;
        }

        private static void CheckMonitorTopic(ArrayList errors, DeviceSettings s)
        {
            if (s.MonitorTopic == null || s.MonitorTopic.Length == 0)
            {
                return;
            }

            string problem = TopicProblem(s.MonitorTopic, false);
            if (problem != null)
            {
                errors.Add("MonitorTopic: " + problem + " (or \"\" to turn the monitor over MQTT off)");
            }
            else if (s.MonitorTopic == s.StatusTopic)
            {
                errors.Add("MonitorTopic: the same as StatusTopic; monitor lines would overwrite online/offline; use e.g. \"{clientId}/monitor\"");
            }
        }

        private static bool RequireFilled(ArrayList errors, string field, string value, string what)
        {
            if (value == null || value.Trim().Length == 0)
            {
                errors.Add(field + ": missing; put " + what);
                return false;
            }

            if (IsPlaceholder(value))
            {
                errors.Add(field + ": still the example value; put " + what);
                return false;
            }

            return true;
        }

        // settings.example.json marks every value a learner must change as <like this>.
        /// <summary>The host name at the start of <paramref name="text"/>: up to a ':' (port) or '/' (path).</summary>
        private static string HostPart(string text)
        {
            int end = 0;
            while (end < text.Length && text[end] != ':' && text[end] != '/')
            {
                end++;
            }

            return text.Substring(0, end);
        }

        private static bool IsPlaceholder(string value)
        {
            return value.Length >= 2 && value[0] == '<' && value[value.Length - 1] == '>';
        }

        private static bool HasAnyOf(string text, string chars)
        {
            return text.IndexOfAny(chars.ToCharArray()) >= 0;
        }
    }
}
