using System;
using System.Collections.Generic;
using IotyDevice.Core;

namespace IotyDevice.Host.Network
{
    /// <summary>A WiFi link the test or simulator controls, giving the core the facts a board's WiFi would: a stored
    /// configuration (writes counted, as flash wear), a connect status and a scan. The PC is already online, so
    /// the simulated access point takes whatever name is stored; Drop()/Restore() switch it off and on, and while
    /// it is off a connect finds no network and a scan sees none, as on a board.
    /// Thread-safe: a test thread changes it while the core's loop polls IsUp.</summary>
    public sealed class SimulatedNetwork : INetwork
    {
        /// <summary>The signal the simulated access point is seen with: a board on a desk near it.</summary>
        public const int AccessPointRssiDbm = -52;

        private readonly byte[] _mac;
        private readonly Wakeup _wakeup;
        private readonly object _gate = new object();
        private volatile bool _isUp;
        private bool _available = true;
        private WifiConnectStatus _failWith = WifiConnectStatus.Connected;
        private string _storedSsid;
        private string _storedPassword;
        private int _joinCount;
        private int _storeCount;

        /// <param name="mac">The 6-byte WiFi MAC the chip ID (and so the MQTT client ID) is made from.</param>
        /// <param name="wakeup">The core's Wakeup: Drop() sets it so the loop sees the link go at once, as it sees a
        /// button press; null leaves the drop to the loop's next timed pass (at most DeviceOptions.IdleWaitMs).</param>
        public SimulatedNetwork(byte[] mac, Wakeup wakeup = null)
        {
            if (mac == null || mac.Length != 6) throw new ArgumentException("a MAC address is 6 bytes", "mac");
            _mac = (byte[])mac.Clone();
            _wakeup = wakeup;
        }

        public bool IsUp
        {
            get { return _isUp; }
            set { _isUp = value; }
        }

        /// <summary>A copy, so the core cannot change the simulated hardware's MAC.</summary>
        public byte[] MacAddress { get { return (byte[])_mac.Clone(); } }

        /// <summary>How many times the core asked to join (tests check it re-joins after a drop).</summary>
        public int JoinCount { get { lock (_gate) return _joinCount; } }

        /// <summary>How many times the configuration was written (flash writes on a board).</summary>
        public int StoreCount { get { lock (_gate) return _storeCount; } }

        public bool IsStored(string ssid, string password)
        {
            lock (_gate) return _storedSsid == ssid && _storedPassword == password;
        }

        public void Store(string ssid, string password)
        {
            lock (_gate)
            {
                _storeCount++;
                _storedSsid = ssid;
                _storedPassword = password;
            }
        }

        public WifiConnectStatus Connect()
        {
            lock (_gate)
            {
                _joinCount++;
                WifiConnectStatus result = _storedSsid == null || !_available ? WifiConnectStatus.NetworkNotFound : _failWith;
                _isUp = result == WifiConnectStatus.Connected;
                return result;
            }
        }

        public ScannedNetwork[] Scan()
        {
            lock (_gate)
            {
                var seen = new List<ScannedNetwork>();
                if (_available && _storedSsid != null) seen.Add(new ScannedNetwork(_storedSsid, AccessPointRssiDbm));
                return seen.ToArray();
            }
        }

        /// <summary>The access point goes off: the link goes down, connects find no network, scans see none.</summary>
        public void Drop()
        {
            lock (_gate)
            {
                _available = false;
                _isUp = false;
            }
            if (_wakeup != null) _wakeup.Set();
        }

        /// <summary>The access point is back; the core's next connect succeeds (the link stays down until then).</summary>
        public void Restore()
        {
            lock (_gate) _available = true;
        }

        /// <summary>Makes every connect to the (present) access point end with <paramref name="result"/>; Connected
        /// clears it.</summary>
        public void FailConnectsWith(WifiConnectStatus result)
        {
            lock (_gate) _failWith = result;
        }
    }
}
