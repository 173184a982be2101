using nanoFramework.Runtime.Native;

namespace IotyDevice.Firmware
{
    /// <summary>What the flashed image says about itself (nanoFramework.Runtime.Native 1.7.11, SystemInfo): the
    /// runtime's version, the image's target name and its platform. Printed at start because an app whose packages
    /// need other native versions than the image has is refused before Main runs; a board that gets as far as this
    /// line, and its owner asking for help, should name the image (Firmware/RUNTIME.md has the pairing).</summary>
    internal static class RuntimeInfo
    {
        /// <summary>E.g. "nanoFramework 1.17.0.32, image ESP32_REV0 (ESP32)".</summary>
        public static string Describe()
        {
            return "nanoFramework " + SystemInfo.Version.ToString() + ", image " + SystemInfo.TargetName
                + " (" + SystemInfo.Platform + ")";
        }
    }
}
