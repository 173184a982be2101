using Xunit;

namespace Firmware.Tests.Rules
{
    /// <summary>What can be checked here of the device adapters, which are not built or run on this machine:
    /// their source text (Firmware/Core/Ports/README.md says what each must do).</summary>
    public class DeviceAdapterContractTests
    {
        [Fact]
        public void The_device_looks_at_a_CA_files_size_before_reading_it()
        {
            string source = File.ReadAllText(Path.Combine(RepoPaths.Firmware, "Device", "CaCertificates.cs"));
            int check = source.IndexOf("> CaCertificateFile.MaxBytes", StringComparison.Ordinal);
            int read = source.IndexOf("StorageFile.ReadText(", StringComparison.Ordinal);
            Assert.True(check >= 0 && read > check, "CaCertificates.Resolve must compare the file's length with CaCertificateFile.MaxBytes before StorageFile.ReadText");
        }
    }
}
