namespace IotyDevice.Core
{
    /// <summary>The size limit both adapters put on a CaCertificate file before reading it. A CA certificate in PEM
    /// is 1 to 2 KB (a short chain of them a few KB), so a bigger file is the wrong one (a firmware image, a log, a
    /// whole certificate bundle): refused with one line instead of read whole into the board's memory on every
    /// connection attempt. The core cannot look at the file itself; the adapters that load it can.</summary>
    public static class CaCertificateFile
    {
        public const int MaxBytes = 16 * 1024;

        /// <summary>Whether the CaCertificate setting names a file (not the built-in CA, the device store or nothing).</summary>
        public static bool IsFile(string setting)
        {
            return setting != null && setting.Length > 0 && setting != DeviceSettings.BuiltInIsrgRootX1
                && setting != DeviceSettings.DeviceCaStore;
        }

        /// <summary>The settings problem for a CaCertificate file that is not there: a wrong path or a file never
        /// deployed, which no retry of the connection can mend.</summary>
        public static string Missing(string path)
        {
            return "CaCertificate: no file at " + path + "; put your broker's CA (PEM) file there (on the board: "
                + "nanoff --filedeployment deploy.json; on a PC the path is relative to where you run the command) "
                + "or correct the path";
        }

        /// <summary>The refusal, for the adapter's certificate fault.</summary>
        public static string TooLarge(string path, long bytes)
        {
            return "CA certificate file " + path + " is " + ((bytes + 1023) / 1024).ToString()
                + " KB; a CA certificate is a few KB (16 KB at most): point CaCertificate at your broker's CA (PEM) file";
        }
    }
}
