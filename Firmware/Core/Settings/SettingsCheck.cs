using System;
using System.Collections;

namespace IotyDevice.Core
{
    /// <summary>Reads the settings document and validates it once: the usable settings, or null and one report that
    /// lists every problem (one per line), worded the same on the board and in the simulator.</summary>
    public static class SettingsCheck
    {
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
