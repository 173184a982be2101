using System;
using System.Device.Wifi;
using System.Net.NetworkInformation;
using System.Threading;
using IotyDevice.Core;

namespace IotyDevice.Firmware
{
    /// <summary>The ESP32 station WiFi through one WifiAdapter and the stored Wireless80211Configuration. Translation
    /// only: the core decides when to store, join and scan, and what to tell the learner (WifiDiagnosis).
    /// WifiNetworkHelper is not used: each of its calls makes a new WifiAdapter, which registers in
    /// WifiEventListener's static list for good (a heap leak per retry), ConnectDhcp rewrites the flash
    /// configuration on every call and drops WifiAdapter.Connect's result, and its Status outlives the call.</summary>
    internal sealed class WifiNetwork : INetwork
    {
        // WifiAdapter.Connect waits up to 20 s for the access point (native); then these bound the rest.
        private const int AddressTimeoutMs = 20000;
        private const int ScanTimeoutMs = 10000;
        private const int PollMs = 200;
        // How long to wait for a join the driver is making by itself (at power-on, or retrying after a Store).
        private const int DriverJoinMs = 10000;
        // After a scan refused as busy (the station was still ending its attempt), one more try after this.
        private const int ScanRetryMs = 500;

        // Written by NetworkChange events (nanoFramework's event thread), read by the main loop.
        private readonly Flag _up = new Flag();
        private readonly Wakeup _wakeup;
        private readonly AutoResetEvent _scanDone = new AutoResetEvent(false);
        // The one adapter for the life of the firmware; null when the image has no WiFi.
        private readonly WifiAdapter _adapter;
        private byte[] _mac;
        // Set by Store until the next Connect: the first result after a store may belong to the attempt before it.
        private bool _storedSinceConnect;
        private bool _connectCalled;

        public WifiNetwork(Wakeup wakeup)
        {
            _wakeup = wakeup;
            try
            {
                WifiAdapter[] adapters = WifiAdapter.FindAllAdapters();
                _adapter = adapters.Length > 0 ? adapters[0] : null;
            }
            catch (Exception)
            {
                _adapter = null; // Connect reports NoAdapter: the image has no usable WiFi
            }

            if (_adapter != null)
            {
                _adapter.AvailableNetworksChanged += OnScanDone;
            }

            // IsUp is polled every loop pass; the events keep it a field read.
            NetworkChange.NetworkAddressChanged += OnAddressChanged;
            NetworkChange.NetworkAvailabilityChanged += OnAvailabilityChanged;
            Put(_up, HasIpAddress());
        }

        public bool IsUp { get { return _up.IsSet; } }

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

        public bool IsStored(string ssid, string password)
        {
            Wireless80211Configuration stored = StoredConfiguration();
            // An open network's password may come back null from flash.
            return stored != null && stored.Ssid == ssid && (stored.Password == null ? "" : stored.Password) == password;
        }

        public void Store(string ssid, string password)
        {
            Wireless80211Configuration stored = StoredConfiguration();
            if (stored == null)
            {
                throw new InvalidOperationException("the board has no WiFi configuration block");
            }

            stored.Ssid = ssid;
            stored.Password = password;
            stored.SaveConfiguration(); // the flash write
            _storedSinceConnect = true;
        }

        public WifiConnectStatus Connect()
        {
            Wireless80211Configuration stored = StoredConfiguration();
            if (_adapter == null || stored == null)
            {
                return WifiConnectStatus.NoAdapter;
            }

            // At power-on the image already joins with the stored configuration (nf-interpreter targets/ESP32/_Network/
            // NF_ESP32_Wireless.cpp, NF_ESP32_Wireless_Open). When the settings matched it (no Store), a Connect now
            // would cut that join short and report how the cut-off attempt ended: wait for it first.
            bool firstConnect = !_connectCalled;
            _connectCalled = true;
            bool joinedAtPowerOn = firstConnect && !_storedSinceConnect && WaitForAddress(DriverJoinMs);
            if (!joinedAtPowerOn)
            {
                WifiConnectionStatus status = Join(stored);
                if (status != WifiConnectionStatus.Success && _storedSinceConnect)
                {
                    // The native connect takes the first STA_DISCONNECTED after it as its answer, and after a Store that
                    // one can be the previous attempt's (e.g. the old password's refusal). The driver goes on joining
                    // with the new configuration by itself: wait for that, and only then ask again (which cuts the
                    // driver's attempt short and reports how it was going).
                    status = WaitForAddress(DriverJoinMs) ? WifiConnectionStatus.Success : Join(stored);
                }

                _storedSinceConnect = false;
                switch (status)
                {
                    case WifiConnectionStatus.Success:
                        break;
                    case WifiConnectionStatus.NetworkNotAvailable:
                        return WifiConnectStatus.NetworkNotFound;
                    case WifiConnectionStatus.InvalidCredential:
                        return WifiConnectStatus.Refused;
                    case WifiConnectionStatus.Timeout:
                        return WifiConnectStatus.TimedOut;
                    default:
                        return WifiConnectStatus.Failed;
                }
            }

            if (!WaitForAddress(AddressTimeoutMs))
            {
                return WifiConnectStatus.NoIpAddress;
            }

            Put(_up, true);
            // The ESP32 image starts SNTP by itself once it has an address; the core waits for the date (BrokerConnection).
            return WifiConnectStatus.Connected;
        }

        public ScannedNetwork[] Scan()
        {
            if (_adapter == null)
            {
                return new ScannedNetwork[0];
            }

            // After a failed join the driver keeps retrying by itself (targetHAL_Network.cpp: esp_wifi_connect on every
            // STA_DISCONNECTED while IsToConnect), and ESP-IDF refuses a scan while the station connects: the native
            // ScanAsync throws (CLR_E_BUSY). Disconnect clears that retry (NF_ESP32_Wireless_Disconnect); the attempt
            // it cuts off may still be ending, so a busy scan gets one more try. The next Connect restarts the join.
            _adapter.Disconnect();
            _scanDone.Reset();
            try
            {
                _adapter.ScanAsync();
            }
            catch (Exception)
            {
                Thread.Sleep(ScanRetryMs);
                _adapter.ScanAsync();
            }

            if (!_scanDone.WaitOne(ScanTimeoutMs, false))
            {
                throw new InvalidOperationException("the WiFi scan did not finish in time");
            }

            WifiAvailableNetwork[] seen = _adapter.NetworkReport.AvailableNetworks;
            ScannedNetwork[] networks = new ScannedNetwork[seen.Length];
            for (int i = 0; i < seen.Length; i++)
            {
                networks[i] = new ScannedNetwork(seen[i].Ssid, (int)seen[i].NetworkRssiInDecibelMilliwatts);
            }

            return networks;
        }

        /// <summary>Automatic: native options 0, so the connect itself saves nothing to flash.</summary>
        private WifiConnectionStatus Join(Wireless80211Configuration stored)
        {
            return _adapter.Connect(stored.Ssid, WifiReconnectionKind.Automatic, stored.Password == null ? "" : stored.Password).ConnectionStatus;
        }

        /// <summary>Counted waits, not clock arithmetic: SNTP may set the clock meanwhile.</summary>
        private static bool WaitForAddress(int timeoutMs)
        {
            for (int waited = 0; !HasIpAddress(); waited += PollMs)
            {
                if (waited >= timeoutMs)
                {
                    return false;
                }

                Thread.Sleep(PollMs);
            }

            return true;
        }

        // The events below run on nanoFramework's event thread: record, then wake the main loop.
        private void OnScanDone(WifiAdapter sender, object e)
        {
            _scanDone.Set();
        }

        private void OnAddressChanged(object sender, EventArgs e)
        {
            Put(_up, HasIpAddress());
            _wakeup.Set();
        }

        private void OnAvailabilityChanged(object sender, NetworkAvailabilityEventArgs e)
        {
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

        /// <summary>The configuration the WiFi interface joins with (the one WifiNetworkHelper writes too).</summary>
        private static Wireless80211Configuration StoredConfiguration()
        {
            NetworkInterface wifi = FindWifiInterface();
            if (wifi == null)
            {
                return null;
            }

            Wireless80211Configuration[] all = Wireless80211Configuration.GetAllWireless80211Configurations();
            return wifi.SpecificConfigId < all.Length ? all[wifi.SpecificConfigId] : null;
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
