namespace IotyDevice.Core
{
    /// <summary>Why joining the WiFi did not succeed, in the terms a learner can act on.</summary>
    public enum NetworkJoinResult
    {
        Joined = 0,
        /// <summary>No connection within the timeout: usually a wrong SSID or password, or a 5 GHz-only network.</summary>
        TimedOut = 1,
        /// <summary>Associated but DHCP gave no IP address.</summary>
        NoIpAddress = 2,
        /// <summary>Joined, but network time (SNTP) did not arrive in time.</summary>
        NoNetworkTime = 3,
        /// <summary>The board reports no WiFi interface.</summary>
        NoAdapter = 4,
        /// <summary>Any other failure; the adapter's detail text says more.</summary>
        Failed = 5,
    }

    /// <summary>The station WiFi link.</summary>
    public interface INetwork
    {
        /// <summary>Joins the network and waits (bounded) until it has an IP address and a valid clock.
        /// Blocks; never throws: failures are the result, with <see cref="LastErrorDetail"/> for the monitor.</summary>
        NetworkJoinResult Join(string ssid, string password);

        /// <summary>True while the link has an IP address. Cheap; polled by the main loop.</summary>
        bool IsUp { get; }

        /// <summary>Extra words from the platform about the last failed join, or empty.</summary>
        string LastErrorDetail { get; }

        /// <summary>The 6-byte factory base MAC of the WiFi interface (the chip ID source), or null if unknown.</summary>
        byte[] MacAddress { get; }
    }
}
