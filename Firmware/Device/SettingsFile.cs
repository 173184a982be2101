using System;
using System.IO;
using IotyDevice.Core;
using nanoFramework.Json;

namespace IotyDevice.Firmware
{
    /// <summary>settings.json on the device's storage, put there with nanoff --filedeployment (see README).
    /// Reading and parsing only; the core validates the values and says what to fix.</summary>
    internal sealed class SettingsFile : ISettingsSource
    {
        private readonly string _path;

        public SettingsFile(string path)
        {
            _path = path;
        }

        public string Location { get { return _path; } }

        public bool HasFile(string path)
        {
            return File.Exists(path);
        }

        public DeviceSettings Read(out string problem)
        {
            problem = null;
            string json;
            try
            {
                if (!File.Exists(_path))
                {
                    return null; // the core says how to put it there
                }

                json = StorageFile.ReadText(_path);
            }
            catch (Exception e)
            {
                problem = _path + " could not be read (" + ExceptionText.Describe(e) + "): deploy it again with "
                          + "nanoff --filedeployment deploy.json (see README)";
                return null;
            }

            // A BOM, null values and values ending with a quote read differently on nanoFramework.Json: see SettingsJson.
            json = SettingsJson.Prepare(json, _path, out problem);
            if (json == null)
            {
                return null;
            }

            try
            {
                // Properties missing from the file keep DeviceSettings' defaults (its constructor runs first).
                DeviceSettings settings = (DeviceSettings)JsonConvert.DeserializeObject(json, typeof(DeviceSettings));
                if (settings != null)
                {
                    return settings;
                }
            }
            catch (Exception e)
            {
                problem = _path + " is not valid settings JSON (" + ExceptionText.Describe(e) + "): compare it with "
                          + "settings.example.json (quotes, commas, exact property names) and deploy it again";
                return null;
            }

            problem = _path + " is empty or not a JSON object: start again from settings.example.json";
            return null;
        }
    }
}
