using System;
using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
using IotyDevice.Core;
using nanoFramework.Networking;

namespace IotyDevice.Firmware
{
    /// <summary>The ESP32 station WiFi, through nanoFramework's WifiNetworkHelper. Translation only: the core decides
    /// when to join, how long to back off and what to tell the learner.</summary>
    internal sealed class WifiNetwork : INetwork
    {
        /// <summary>Bounds one join (association + DHCP + SNTP). The helper itself would wait forever.</summary>
        private const int JoinTimeoutMs = 60000;

        // Written by NetworkChange events (nanoFramework's event thread), read by the main loop. Flag, not
        // 'volatile': nanoFramework's mscorlib has no IsVolatile.
        private readonly Flag _up = new Flag();
        private readonly Flag _linkUp = new Flag();

        private readonly Wakeup _wakeup;
        private string _lastErrorDetail = "";
        private byte[] _mac;

        public WifiNetwork(Wakeup wakeup)
        {
            _wakeup = wakeup;
            // IsUp is polled every loop pass; the events keep it a field read instead of a walk over all
            // interfaces each time. AutoReconnect (the helper's default) brings the link back by itself and
            // these events report it.
            NetworkChange.NetworkAddressChanged += OnAddressChanged;
            NetworkChange.NetworkAvailabilityChanged += OnAvailabilityChanged;
            Put(_up, HasIpAddress());
        }

        public bool IsUp { get { return _up.IsSet; } }

        public string LastErrorDetail { get { return _lastErrorDetail; } }

        public byte[] MacAddress
        {
            get
            {
                // Null (unknown) until the interface reports 6 bytes; the core asks again later.
                if (_mac == null)
                {
                    NetworkInterface wifi = FindWifiInterface();
                    byte[] mac = wifi == null ? null : wifi.PhysicalAddress;
                    _mac = mac != null && mac.Length == 6 ? mac : null;
                }

                return _mac;
            }
        }

        public NetworkJoinResult Join(string ssid, string password)
        {
            _lastErrorDetail = "";
            _linkUp.Clear();
            bool joined;
            CancellationTokenSource timeout = new CancellationTokenSource(JoinTimeoutMs);
            try
            {
                // requiresDateTime: TLS checks certificate dates, so "joined" includes a valid clock (SNTP).
                joined = WifiNetworkHelper.ConnectDhcp(ssid, password, requiresDateTime: true, token: timeout.Token);
            }
            catch (Exception e)
            {
                // ConnectDhcp reports failures through Status, but INetwork.Join must never throw.
                _lastErrorDetail = ExceptionText.Describe(e);
                return NetworkJoinResult.Failed;
            }
            finally
            {
                timeout.Dispose();
            }

            Put(_up, HasIpAddress());
            if (joined)
            {
                return NetworkJoinResult.Joined;
            }

            switch (WifiNetworkHelper.Status)
            {
                case NetworkHelperStatus.TokenExpiredWaitingIPAddress:
                    // The helper does not say whether the access point accepted us. The availability event
                    // (link up) does: associated but no address means DHCP; never associated means SSID/password.
                    return _linkUp.IsSet ? NetworkJoinResult.NoIpAddress : NetworkJoinResult.TimedOut;

                case NetworkHelperStatus.TokenExpiredWaitingDateTime:
                    return NetworkJoinResult.NoNetworkTime;

                case NetworkHelperStatus.FailedNoNetworkInterface:
                    return NetworkJoinResult.NoAdapter;

                case NetworkHelperStatus.ExceptionOccurred:
                    Exception e = WifiNetworkHelper.HelperException;
                    // ConnectDhcp indexes WifiAdapter.FindAllAdapters(); an image without WiFi has none.
                    if (e is IndexOutOfRangeException)
                    {
                        return NetworkJoinResult.NoAdapter;
                    }

                    _lastErrorDetail = e == null ? "" : ExceptionText.Describe(e);
                    return NetworkJoinResult.Failed;

                default:
                    // enum.ToString() prints the number on nanoFramework.
                    _lastErrorDetail = "WifiNetworkHelper status " + ((int)WifiNetworkHelper.Status).ToString();
                    return NetworkJoinResult.Failed;
            }
        }

        // Both run on nanoFramework's event thread: record, then wake the main loop so a drop is acted on at once.
        private void OnAddressChanged(object sender, EventArgs e)
        {
            Put(_up, HasIpAddress());
            _wakeup.Set();
        }

        private void OnAvailabilityChanged(object sender, NetworkAvailabilityEventArgs e)
        {
            Put(_linkUp, e.IsAvailable);
            Put(_up, e.IsAvailable && HasIpAddress());
            _wakeup.Set();
        }

        private static void Put(Flag flag, bool value)
        {
            if (value)
            {
                flag.Set();
            }
            else
            {
                flag.Clear();
            }
        }

        private static bool HasIpAddress()
        {
            NetworkInterface wifi = FindWifiInterface();
            string ip = wifi == null ? null : wifi.IPv4Address;
            return ip != null && ip.Length > 0 && ip != "0.0.0.0";
        }

        /// <summary>The station interface, or null when there is none or the native query fails (the
        /// PhysicalAddress and IPv4Address getters only read fields, so callers need no guard of their own).</summary>
        private static NetworkInterface FindWifiInterface()
        {
            try
            {
                NetworkInterface[] all = NetworkInterface.GetAllNetworkInterfaces();
                for (int i = 0; i < all.Length; i++)
                {
                    if (all[i].NetworkInterfaceType == NetworkInterfaceType.Wireless80211)
                    {
                        return all[i];
                    }
                }
            }
            catch (Exception)
            {
                // Treated as no interface: IsUp false, MAC unknown.
            }

            return null;
        }
    }
}
