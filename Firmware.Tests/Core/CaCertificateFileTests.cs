using IotyDevice.Core;

namespace Firmware.Tests.Core;

/// <summary>The CaCertificate setting as a file: which values name one, and the lines a learner reads when it is
/// missing or is the wrong (too large) file.</summary>
public class CaCertificateFileTests
{
    [Theory]
    [InlineData(null, false)]
    [InlineData("", false)]
    [InlineData(DeviceSettings.BuiltInIsrgRootX1, false)]
    [InlineData(DeviceSettings.DeviceCaStore, false)]
    [InlineData("I:\\my-ca.pem", true)]
    [InlineData("certs/ca.pem", true)]
    public void Only_a_path_names_a_file(string setting, bool isFile)
    {
        Assert.Equal(isFile, CaCertificateFile.IsFile(setting));
    }

    [Fact]
    public void A_missing_file_says_where_to_put_it_or_to_correct_the_path()
    {
        Assert.Equal("CaCertificate: no file at I:\\my-ca.pem; put your broker's CA (PEM) file there (on the board: "
            + "nanoff --filedeployment deploy.json; on a PC the path is relative to where you run the command) "
            + "or correct the path", CaCertificateFile.Missing("I:\\my-ca.pem"));
    }

    [Theory]
    [InlineData(16 * 1024 + 1, "17")]
    [InlineData(17 * 1024, "17")]
    [InlineData(20_000, "20")]
    [InlineData(5_000_000, "4883")]
    public void A_file_too_large_is_named_with_its_size_in_kilobytes_rounded_up(long bytes, string kb)
    {
        Assert.Equal("CA certificate file certs/firmware.bin is " + kb + " KB; a CA certificate is a few KB (16 KB at most): "
            + "point CaCertificate at your broker's CA (PEM) file", CaCertificateFile.TooLarge("certs/firmware.bin", bytes));
    }
}
