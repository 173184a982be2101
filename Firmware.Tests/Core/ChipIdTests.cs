using IotyDevice.Core;

namespace Firmware.Tests.Core;

public class ChipIdTests
{
    [Fact]
    public void Mac_becomes_twelve_lowercase_hex_characters_like_micropython_hexlify()
    {
        // MicroPython on this MAC: ubinascii.hexlify(machine.unique_id()) == b'240ac412abfe'
        Assert.Equal("240ac412abfe", ChipId.FromMac(new byte[] { 0x24, 0x0A, 0xC4, 0x12, 0xAB, 0xFE }));
    }

    [Fact]
    public void Leading_zero_nibbles_are_kept()
    {
        Assert.Equal("000102030a0f", ChipId.FromMac(new byte[] { 0, 1, 2, 3, 10, 15 }));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(8)]
    public void A_mac_that_is_not_six_bytes_is_refused(int length)
    {
        var refused = Assert.Throws<ArgumentException>(() => ChipId.FromMac(new byte[length]));
        Assert.Equal("the WiFi MAC address must be 6 bytes", refused.Message);
    }

    [Fact]
    public void No_mac_is_refused()
    {
        Assert.Throws<ArgumentException>(() => ChipId.FromMac(null));
    }
}
