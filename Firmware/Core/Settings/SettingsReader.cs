using System;
using System.Collections;

namespace IotyDevice.Core
{
    /// <summary>Reads the settings document and has <see cref="SettingsValidator"/> check it: the usable settings, or
    /// null and one report that lists every problem (one per line), worded the same on the board and in the
    /// simulator. The loop's instance reads again every few seconds while the settings are unusable, so a fixed file
    /// is picked up without a reset, and prints a problem once rather than on every try.</summary>
    public class SettingsReader
    {
        private readonly ISettingsSource _source;
        private readonly IMonitor _monitor;
        private readonly int _retryMs;
        private string _report;
        private long _retryAtMs;

        public SettingsReader(ISettingsSource source, IMonitor monitor, int retryMs)
        {
            _source = source;
            _monitor = monitor;
            _retryMs = retryMs;
        }

        /// <summary>True once a read found the settings unusable (until a read finds them usable).</summary>
        public bool Waiting { get { return _report != null; } }

        /// <summary>How long until the next read is due.</summary>
        public long MsUntilRetry(long now)
        {
            return _retryAtMs - now;
        }

        /// <summary>Reads and checks the settings: the usable settings, with "OK now" after a problem and the
        /// warnings; or null, with the problem printed if it is new, and the next read due in a few seconds.</summary>
        public DeviceSettings Load(long now)
        {
            string report;
            DeviceSettings settings = Read(_source, out report);
            if (settings != null)
            {
                if (_report != null)
                {
                    _monitor.WriteLine("Settings: OK now");
                    _report = null;
                }

                // Said once, when the settings are taken: they work, but the learner should know (strapping pins).
                ArrayList warnings = SettingsValidator.Warnings(settings);
                for (int i = 0; i < warnings.Count; i++)
                {
                    _monitor.WriteLine("Settings: warning: " + (string)warnings[i]);
                }

                return settings;
            }

            // A learner's edit that changes the problem shows the new state.
            if (report != _report)
            {
                _report = report;
                string[] lines = report.Split('\n');
                for (int i = 0; i < lines.Length; i++)
                {
                    _monitor.WriteLine(lines[i]);
                }

                _monitor.WriteLine("Settings: waiting; fix them and the device picks them up within " + TimeText.Seconds(_retryMs) + " s");
            }

            _retryAtMs = now + _retryMs;
            return null;
        }

        /// <summary>Reads and checks once: the usable settings, or null and the report.</summary>
        public static DeviceSettings Read(ISettingsSource source, out string report)
        {
            string problem;
            DeviceSettings settings = null;
            try
            {
                settings = source.Read(out problem);
            }
            catch (Exception e)
            {
                problem = "reading " + source.Location + " failed (" + e.Message + ")";
            }

            if (settings == null)
            {
                report = "Settings: " + (problem != null ? problem : "no settings file at " + source.Location
                    + "; copy settings.example.json to settings.json, fill in your WiFi and broker details and put it there (README: Configure)");
                return null;
            }

            ArrayList errors = SettingsValidator.Validate(settings);
            if (CaCertificateFile.IsFile(settings.CaCertificate) && !source.HasFile(settings.CaCertificate))
            {
                errors.Add(CaCertificateFile.Missing(settings.CaCertificate));
            }

            if (errors.Count == 0)
            {
                report = null;
                return settings;
            }

            report = "Settings: " + errors.Count.ToString() + " problem(s) in " + source.Location + ":";
            for (int i = 0; i < errors.Count; i++)
            {
                report += "\n  - " + (string)errors[i];
            }

            return null;
        }
    }
}
