namespace IotyDevice.Core
{
    /// <summary>Where the settings document comes from (a file on the device's storage, a file on the host).</summary>
    public interface ISettingsSource
    {
        /// <summary>Where the settings live, for messages (e.g. I:\settings.json).</summary>
        string Location { get; }

        /// <summary>Reads and parses the document. Returns null and sets <paramref name="problem"/> to one line
        /// naming the fix when the file is unreadable or not valid JSON; returns null with <paramref name="problem"/>
        /// null when there is no file at <see cref="Location"/> (the core words that line, the same everywhere).
        /// Never throws.</summary>
        DeviceSettings Read(out string problem);

        /// <summary>Whether there is a file at <paramref name="path"/> (a setting's file, e.g. CaCertificate's), where
        /// the transport will look for it. The core turns a missing one into a settings problem at start.</summary>
        bool HasFile(string path);
    }
}
