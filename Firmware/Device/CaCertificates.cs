using System.IO;
using System.Security.Cryptography.X509Certificates;
using IotyDevice.Core;

namespace IotyDevice.Firmware
{
    /// <summary>Turns the CaCertificate setting into what M2Mqtt's constructor takes as its CA.</summary>
    internal static class CaCertificates
    {
        /// <summary>The CA for <paramref name="setting"/>: the built-in ISRG Root X1, null for the device's own CA
        /// store (M2Mqtt passes a null CA on, and the TLS layer then uses the bundle stored with
        /// nanoff --networkdeployment), or the PEM file at that path on the device's storage.
        /// Throws when the file cannot be read or parsed, or is larger than a CA can be
        /// (<see cref="CaCertificateFile.MaxBytes"/>); the transport reports that as a certificate fault.</summary>
        public static X509Certificate Resolve(string setting)
        {
            if (setting == null || setting.Length == 0 || setting == DeviceSettings.BuiltInIsrgRootX1)
            {
                return new X509Certificate(IsrgRootX1.Pem);
            }

            if (setting == DeviceSettings.DeviceCaStore)
            {
                return null;
            }

            if (!File.Exists(setting))
            {
                throw new IOException(setting + " not found on the device; copy your broker's CA (PEM) there with nanoff --filedeployment");
            }

            // Looked at before it is read: the wrong file (a firmware image, a log) must not fill the heap on every retry.
            long bytes = StorageFile.Length(setting);
            if (bytes > CaCertificateFile.MaxBytes)
            {
                throw new IOException(CaCertificateFile.TooLarge(setting, bytes));
            }

            // The string constructor adds the NUL terminator that PEM input needs; raw file bytes would lack it.
            return new X509Certificate(StorageFile.ReadText(setting));
        }
    }
}
