using Board.Models;

// Models of nanoframework/System.Net v1.11.54 (the newest stored tag of the 1.x line; the pinned 1.11.60 is not in
// the stored history),
// nanoFramework.System.Net/NetworkInformation/*.cs, over the ESP32 native state in Esp32Wifi.
namespace System.Net.NetworkInformation
{
    /// <summary>NetworkInterfaceType.cs (lines 15-36).</summary>
    public enum NetworkInterfaceType
    {
        Unknown = 1,
        Ethernet = 6,
        Wireless80211 = 71,
    }

    /// <summary>NetworkInterface.cs: GetAllNetworkInterfaces (lines 91-110) reads the interfaces from native;
    /// IPv4Address (lines 345-350) is the live lwIP address; PhysicalAddress (lines 437-455); SpecificConfigId
    /// (line 468) indexes the Wireless80211Configuration blocks.</summary>
    public class NetworkInterface
    {
        public static NetworkInterface[] GetAllNetworkInterfaces()
        {
            return new[] { new NetworkInterface() };
        }

        public string IPv4Address => Esp32Wifi.Address;

        public byte[] PhysicalAddress => new byte[] { 0x24, 0x0A, 0xC4, 0x12, 0xAB, 0xFE };

        public NetworkInterfaceType NetworkInterfaceType => NetworkInterfaceType.Wireless80211;

        public uint SpecificConfigId { get; set; }
    }

    /// <summary>Wireless80211Configuration.cs: Ssid/Password (lines 68-73) are plain fields; SaveConfiguration
    /// (lines 100-106) validates and writes the block to flash; GetAllWireless80211Configurations (lines 132-144)
    /// makes new objects from the stored blocks on every call.</summary>
    public class Wireless80211Configuration
    {
        public Wireless80211Configuration(uint id)
        {
            Id = id;
        }

        public uint Id { get; }

        public string Ssid { get; set; }

        public string Password { get; set; }

        public void SaveConfiguration()
        {
            if (Ssid == null)
            {
                throw new ArgumentNullException();
            }

            Esp32Wifi.StoredSsid = Ssid;
            Esp32Wifi.StoredPassword = Password;
            Esp32Wifi.FlashWrites++;
        }

        public static Wireless80211Configuration[] GetAllWireless80211Configurations()
        {
            return new[] { new Wireless80211Configuration(0) { Ssid = Esp32Wifi.StoredSsid ?? "", Password = Esp32Wifi.StoredPassword } };
        }
    }

    /// <summary>NetworkChange.cs (lines 14-28).</summary>
    public class NetworkAvailabilityEventArgs : EventArgs
    {
        internal NetworkAvailabilityEventArgs(bool isAvailable)
        {
            IsAvailable = isAvailable;
        }

        public bool IsAvailable { get; }
    }

    /// <summary>NetworkChange.cs, lines 62 and 69.</summary>
    public delegate void NetworkAddressChangedEventHandler(object sender, EventArgs e);

    public delegate void NetworkAvailabilityChangedEventHandler(object sender, NetworkAvailabilityEventArgs e);

    /// <summary>NetworkChange.cs (lines 81-174): static events raised on the event thread from the native
    /// PostAddressChanged / PostAvailabilityOn/Off (targetHAL_Network.cpp lines 50-66).</summary>
    public static class NetworkChange
    {
        public static event NetworkAddressChangedEventHandler NetworkAddressChanged;

        public static event NetworkAvailabilityChangedEventHandler NetworkAvailabilityChanged;

        internal static void Reset()
        {
            NetworkAddressChanged = null;
            NetworkAvailabilityChanged = null;
            Esp32Wifi.AddressChanged += () => NetworkAddressChanged?.Invoke(null, EventArgs.Empty);
            Esp32Wifi.AvailabilityChanged += available => NetworkAvailabilityChanged?.Invoke(null, new NetworkAvailabilityEventArgs(available));
        }
    }
}
