using IotyDevice.Core;

namespace Firmware.Tests.Core;

/// <summary>SettingsReader.Read on its own (the loop's re-reads are in DeviceTests).</summary>
public class SettingsReaderTests
{
    private sealed class ThrowingSource : ISettingsSource
    {
        public string Location => "I:\\settings.json";

        public DeviceSettings Read(out string problem) => throw new IOException("the storage is not mounted");

        public bool HasFile(string path) => true;
    }

    [Fact]
    public void A_source_that_throws_after_all_is_reported_as_a_failed_read_with_the_exceptions_message()
    {
        Assert.Null(SettingsReader.Read(new ThrowingSource(), out string report));
        Assert.Equal("Settings: reading I:\\settings.json failed (the storage is not mounted)", report);
    }
}
