namespace Firmware.Tests.Rules;

/// <summary>What can be checked here of the device adapters, which are not built or run on this machine:
/// their source text (Firmware/Core/Ports/README.md says what each must do).</summary>
public class DeviceAdapterContractTests
{
    /// <summary>Null when the source compares a CA file's length with CaCertificateFile.MaxBytes before reading it
    /// (a huge file would run the board out of memory); else why not.</summary>
    public static string CaSizeProblem(string source)
    {
        int check = source.IndexOf("> CaCertificateFile.MaxBytes", StringComparison.Ordinal);
        int read = source.IndexOf("StorageFile.ReadText(", StringComparison.Ordinal);
        return check >= 0 && read > check ? null
            : "CaCertificates.Resolve must compare the file's length with CaCertificateFile.MaxBytes before StorageFile.ReadText";
    }

    [Fact]
    public void The_device_looks_at_a_CA_files_size_before_reading_it()
    {
        Assert.Null(CaSizeProblem(RepoPaths.Read("Firmware/Device/CaCertificates.cs")));
    }

    [Fact]
    public void A_CA_read_before_its_size_is_checked_is_named()
    {
        Assert.NotNull(CaSizeProblem("string pem = StorageFile.ReadText(path); if (pem.Length > CaCertificateFile.MaxBytes) return null;"));
        Assert.NotNull(CaSizeProblem("string pem = StorageFile.ReadText(path);"));
    }
}
