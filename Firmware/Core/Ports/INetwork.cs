namespace IotyDevice.Core
{
    /// <summary>How one attempt to join with the stored configuration ended: the facts the board's WiFi gives,
    /// which <see cref="WifiDiagnosis"/> turns into the learner's line.</summary>
    public enum WifiConnectStatus
    {
        /// <summary>Associated, with an IP address (the core then waits for network time itself).</summary>
        Connected = 0,
        /// <summary>No access point with that name answered (ESP32: NO_AP_FOUND).</summary>
        NetworkNotFound = 1,
        /// <summary>The access point turned the join down: authentication or handshake failed (ESP32 also
        /// reports a handshake lost to a weak signal this way).</summary>
        Refused = 2,
        /// <summary>No answer of either kind within the connect timeout.</summary>
        TimedOut = 3,
        /// <summary>Associated, but DHCP gave no IP address in time.</summary>
        NoIpAddress = 4,
        /// <summary>The board reports no WiFi interface.</summary>
        NoAdapter = 6,
        /// <summary>Any other failure.</summary>
        Failed = 7,
    }

    /// <summary>One access point a scan saw.</summary>
    public class ScannedNetwork
    {
        public ScannedNetwork(string ssid, int rssiDbm)
        {
            Ssid = ssid;
            RssiDbm = rssiDbm;
        }

        public string Ssid { get; private set; }

        /// <summary>Signal strength in dBm (e.g. -48 is strong, -85 is weak).</summary>
        public int RssiDbm { get; private set; }
    }

    /// <summary>The station WiFi link. One instance for the life of the firmware. The WiFi configuration lives in
    /// the board's flash: <see cref="Store"/> is a flash write, so the core calls it only when
    /// <see cref="IsStored"/> says the settings differ; every attempt, retries included, joins with what is stored.
    /// Any member may throw on a platform fault; the core turns that into a line.</summary>
    public interface INetwork
    {
        /// <summary>True when the configuration stored on the board already holds this SSID and password.</summary>
        bool IsStored(string ssid, string password);

        /// <summary>Writes SSID and password to the stored configuration (a flash write on the board).</summary>
        void Store(string ssid, string password);

        /// <summary>Joins with the stored configuration and waits (bounded) for an IP address. Blocks.</summary>
        WifiConnectStatus Connect();

        /// <summary>The access points in range (bounded wait); empty when none. Blocks.</summary>
        ScannedNetwork[] Scan();

        /// <summary>True while the link has an IP address. Cheap; polled by the main loop.</summary>
        bool IsUp { get; }

        /// <summary>The 6-byte factory base MAC of the WiFi interface (the chip ID source), or null if unknown.</summary>
        byte[] MacAddress { get; }
    }
}
