using System;
using IotyDevice.Core;

namespace IotyDevice.Host.Network
{
    /// <summary>A WiFi link the test or simulator controls. The PC is already online, so joining only flips
    /// IsUp; Drop()/Restore() let a test pull the link away under the core to check it notices and recovers.
    /// Thread-safe: a test thread changes it while the core's loop polls IsUp.</summary>
    public sealed class SimulatedNetwork : INetwork
    {
        private readonly byte[] _mac;
        private readonly Wakeup _wakeup;
        private readonly object _gate = new object();
        private volatile bool _isUp;
        private bool _available = true;
        private NetworkJoinResult _failWith = NetworkJoinResult.Joined;
        private string _lastErrorDetail = "";
        private int _joinCount;

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

        public string LastErrorDetail { get { lock (_gate) return _lastErrorDetail; } }

        /// <summary>A copy, so the core cannot change the simulated hardware's MAC.</summary>
        public byte[] MacAddress { get { return (byte[])_mac.Clone(); } }

        /// <summary>How many times the core asked to join (tests check it re-joins after a drop).</summary>
        public int JoinCount { get { lock (_gate) return _joinCount; } }

        /// <summary>The last SSID the core joined, for tests that check settings reach the network.</summary>
        public string LastSsid { get; private set; }

        public NetworkJoinResult Join(string ssid, string password)
        {
            lock (_gate)
            {
                _joinCount++;
                LastSsid = ssid;
                if (_failWith != NetworkJoinResult.Joined)
                {
                    _isUp = false;
                    return _failWith;
                }
                if (!_available)
                {
                    // Like an access point that is out of range: the join times out.
                    _isUp = false;
                    _lastErrorDetail = "access point not in range (simulated)";
                    return NetworkJoinResult.TimedOut;
                }
                _lastErrorDetail = "";
                _isUp = true;
                return NetworkJoinResult.Joined;
            }
        }

        /// <summary>The link goes down and joins time out until Restore().</summary>
        public void Drop()
        {
            lock (_gate)
            {
                _available = false;
                _isUp = false;
            }
            if (_wakeup != null) _wakeup.Set();
        }

        /// <summary>The access point is back; the core's next Join succeeds (the link stays down until then).</summary>
        public void Restore()
        {
            lock (_gate) _available = true;
        }

        /// <summary>Makes every Join fail with <paramref name="result"/> (Joined clears it); detail is what the
        /// platform would add.</summary>
        public void FailJoinsWith(NetworkJoinResult result, string detail)
        {
            lock (_gate)
            {
                _failWith = result;
                _lastErrorDetail = detail ?? "";
            }
        }
    }
}
