using System;

namespace IotyDevice.Core
{
    /// <summary>The board's identity: its 6-byte factory base MAC as 12 lowercase hex characters, the same string
    /// MicroPython's ubinascii.hexlify(machine.unique_id()) prints on that ESP32.</summary>
    public static class ChipId
    {
        public const int MacLength = 6;

        private const string HexDigits = "0123456789abcdef";

        /// <summary>Throws ArgumentException unless <paramref name="mac"/> is exactly 6 bytes.</summary>
        public static string FromMac(byte[] mac)
        {
            if (mac == null || mac.Length != MacLength)
            {
                throw new ArgumentException("the WiFi MAC address must be 6 bytes");
            }

            char[] hex = new char[MacLength * 2];
            for (int i = 0; i < MacLength; i++)
            {
                hex[2 * i] = HexDigits[mac[i] >> 4];
                hex[2 * i + 1] = HexDigits[mac[i] & 0x0F];
            }

            return new string(hex);
        }
    }
}
