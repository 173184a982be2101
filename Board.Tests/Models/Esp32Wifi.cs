using System;
using System.Collections.Generic;

namespace Board.Models
{
    /// <summary>The ESP32 station as its native code drives it, with the access points around it. Written from
    /// nanoframework/nf-interpreter (a3e8139a, 2026-07-24):
    /// targets/ESP32/_common/targetHAL_Network.cpp (the WiFi event handler),
    /// targets/ESP32/_Network/NF_ESP32_Wireless.cpp (start connect, disconnect, scan, auto-connect at boot),
    /// targets/ESP32/_common/Target_Network.cpp (Network_Interface_Start_Connect / _Connect_Result / _Disconnect).</summary>
    public static class Esp32Wifi
    {
        /// <summary>ESP-IDF wifi_err_reason_t values the native code maps (sys_dev_wifi_native_System_Device_Wifi_WifiAdapter.cpp
        /// lines 157-179).</summary>
        public const int ReasonAssocLeave = 8;
        public const int ReasonFourWayHandshakeTimeout = 15;
        public const int ReasonNoApFound = 201;
        public const int ReasonAuthFail = 202;

        /// <summary>How long one join attempt takes before the driver reports its end.</summary>
        public static long AttemptMs = 2500;

        /// <summary>DHCP: from association to an address.</summary>
        public static long DhcpMs = 400;

        /// <summary>A passive scan (NF_ESP32_Wireless.cpp lines 390-401: 500 ms per channel).</summary>
        public static long ScanMs = 1500;

        /// <summary>From esp_wifi_disconnect to the driver's STA_DISCONNECTED for an attempt it aborted.</summary>
        public static long AbortMs = 20;

        /// <summary>At or below this the 4-way handshake is lost (reported like a wrong password: reason 15).</summary>
        public static int HandshakeLostDbm = -86;

        public static readonly List<AccessPoint> AccessPoints = new List<AccessPoint>();

        /// <summary>Writes of the configuration block to flash.</summary>
        public static int FlashWrites;

        public static string StoredSsid;
        public static string StoredPassword;

        /// <summary>Scans started, and scans refused as busy.</summary>
        public static int Scans;
        public static int BusyScans;

        /// <summary>Join attempts the driver made (esp_wifi_connect that started one).</summary>
        public static int Attempts;

        // Native state: NF_ESP32_IsToConnect (NF_ESP32_Wireless.cpp line 24), NF_ESP32_ConnectInProgress and
        // NF_ESP32_ConnectResult (Target_Network.cpp lines 12-13).
        internal static bool IsToConnect;
        internal static bool ConnectInProgress;
        internal static int ConnectResult;

        private static string _configSsid;
        private static string _configPassword;
        private static Attempt _attempt;
        private static bool _associated;
        private static bool _scanning;

        public static string Address { get; private set; } = "0.0.0.0";

        /// <summary>The last scan's result (the native scan report).</summary>
        internal static List<AccessPoint> LastScan = new List<AccessPoint>();

        /// <summary>Raised (as managed events) for the WifiAdapter and NetworkChange models.</summary>
        internal static event Action ScanDone;
        internal static event Action AddressChanged;
        internal static event Action<bool> AvailabilityChanged;

        public static void Reset()
        {
            AccessPoints.Clear();
            FlashWrites = 0;
            StoredSsid = null;
            StoredPassword = null;
            Scans = 0;
            BusyScans = 0;
            Attempts = 0;
            IsToConnect = false;
            ConnectInProgress = false;
            ConnectResult = 0;
            _configSsid = null;
            _configPassword = null;
            _attempt = null;
            _associated = false;
            _scanning = false;
            Address = "0.0.0.0";
            LastScan = new List<AccessPoint>();
            ScanDone = null;
            AddressChanged = null;
            AvailabilityChanged = null;
            AttemptMs = 2500;
            DhcpMs = 400;
            ScanMs = 1500;
            AbortMs = 20;
        }

        /// <summary>Power-on: with a stored configuration (AutoConnect) the image starts joining by itself,
        /// NF_ESP32_Wireless_Open (NF_ESP32_Wireless.cpp lines 345-352) calls NF_ESP32_Wireless_Start_Connect directly,
        /// so ConnectInProgress stays false: nobody waits for this attempt's result.</summary>
        public static void Boot()
        {
            if (!string.IsNullOrEmpty(StoredSsid))
            {
                StartConnect(StoredSsid, StoredPassword ?? "");
            }
        }

        /// <summary>Network_Interface_Start_Connect (Target_Network.cpp lines 188-244): ConnectInProgress = true, then
        /// NF_ESP32_Wireless_Start_Connect (NF_ESP32_Wireless.cpp lines 261-297): IsToConnect = true,
        /// esp_wifi_disconnect, esp_wifi_connect.</summary>
        internal static void StartConnectFromManaged(string ssid, string password)
        {
            ConnectInProgress = true;
            StartConnect(ssid, password);
        }

        /// <summary>Network_Interface_Connect_Result (Target_Network.cpp lines 247-266): -1 while in progress.</summary>
        internal static int ConnectResultNow => ConnectInProgress ? -1 : ConnectResult;

        /// <summary>NF_ESP32_Wireless_Disconnect (NF_ESP32_Wireless.cpp lines 300-313): IsToConnect = false, then
        /// esp_wifi_disconnect.</summary>
        internal static void Disconnect()
        {
            IsToConnect = false;
            EspWifiDisconnect();
        }

        /// <summary>NF_ESP32_Wireless_Scan (NF_ESP32_Wireless.cpp lines 390-401): esp_wifi_scan_start, which ESP-IDF
        /// refuses with ESP_ERR_WIFI_STATE while the station is connecting; NativeScanAsync turns that into
        /// CLR_E_BUSY (sys_dev_wifi_native_System_Device_Wifi_WifiAdapter.cpp lines 220-258), which the CLR throws as a
        /// plain System.Exception (src/CLR/CorLib/corlib_native_System_Exception.cpp lines 14-30 map no exception
        /// type to it).</summary>
        internal static bool StartScan()
        {
            if (_attempt != null || _scanning)
            {
                BusyScans++;
                return false;
            }

            Scans++;
            _scanning = true;
            BoardTime.AtNative(BoardTime.NowMs + ScanMs, () =>
            {
                _scanning = false;
                LastScan = AccessPoints.FindAll(ap => ap.InRange);
                // WIFI_EVENT_SCAN_DONE -> PostScanComplete (targetHAL_Network.cpp lines 228-233)
                BoardTime.PostManaged(() => ScanDone?.Invoke());
            });
            return true;
        }

        private static void StartConnect(string ssid, string password)
        {
            _configSsid = ssid;
            _configPassword = password;
            IsToConnect = true;
            EspWifiDisconnect();
            EspWifiConnect();
        }

        /// <summary>esp_wifi_disconnect: an attempt in flight ends. A failing one's STA_DISCONNECTED, carrying the reason
        /// it ran into (the driver's event queue already holds it), is still delivered, after whatever called this has
        /// set ConnectInProgress; one that was going well ends with reason 8, as does a station that was associated.</summary>
        private static void EspWifiDisconnect()
        {
            if (_attempt != null)
            {
                Attempt aborted = _attempt;
                aborted.Aborted = true;
                int reason = aborted.Reason != 0 ? aborted.Reason : ReasonAssocLeave;
                BoardTime.AtNative(BoardTime.NowMs + AbortMs, () => Disconnected(aborted, reason));
            }
            else if (_associated)
            {
                _associated = false;
                Attempt leaving = new Attempt { Reason = ReasonAssocLeave, Aborted = true };
                _attempt = leaving;
                BoardTime.AtNative(BoardTime.NowMs + AbortMs, () => Disconnected(leaving, ReasonAssocLeave));
            }
        }

        /// <summary>esp_wifi_connect: one attempt at a time, with the configuration set last.</summary>
        private static void EspWifiConnect()
        {
            if (_attempt != null)
            {
                // One at a time: after an abort, the aborted attempt's STA_DISCONNECTED starts the next (IsToConnect).
                return;
            }

            Attempts++;
            Attempt attempt = new Attempt();
            AccessPoint ap = AccessPoints.Find(a => a.InRange && a.Ssid == _configSsid);
            if (ap == null)
            {
                attempt.Reason = ReasonNoApFound;
            }
            else if (ap.RssiDbm <= HandshakeLostDbm || ap.Password != _configPassword)
            {
                attempt.Reason = ReasonFourWayHandshakeTimeout;
            }
            else
            {
                attempt.Reason = 0;
            }

            _attempt = attempt;
            BoardTime.AtNative(BoardTime.NowMs + AttemptMs, () =>
            {
                if (attempt.Aborted)
                {
                    return; // its end is the abort's STA_DISCONNECTED
                }

                if (attempt.Reason == 0)
                {
                    Connected(attempt);
                }
                else
                {
                    Disconnected(attempt, attempt.Reason);
                }
            });
        }

        /// <summary>WIFI_EVENT_STA_CONNECTED (targetHAL_Network.cpp lines 182-200), then IP_EVENT_STA_GOT_IP
        /// (lines 313-319) once DHCP answers.</summary>
        private static void Connected(Attempt attempt)
        {
            _attempt = null;
            _associated = true;
            if (ConnectInProgress)
            {
                PostConnectResult(0);
            }

            BoardTime.PostManaged(() => AvailabilityChanged?.Invoke(true));
            BoardTime.AtNative(BoardTime.NowMs + DhcpMs, () =>
            {
                if (_associated)
                {
                    Address = "192.168.1.23";
                    BoardTime.PostManaged(() => AddressChanged?.Invoke());
                }
            });
        }

        /// <summary>WIFI_EVENT_STA_DISCONNECTED (targetHAL_Network.cpp lines 202-224): the reason goes to a waiting
        /// Connect if one is in progress, availability goes off, and while IsToConnect the driver tries again at
        /// once.</summary>
        private static void Disconnected(Attempt attempt, int reason)
        {
            if (_attempt == attempt)
            {
                _attempt = null;
            }

            if (ConnectInProgress)
            {
                PostConnectResult(reason);
            }

            if (Address != "0.0.0.0")
            {
                Address = "0.0.0.0";
                BoardTime.PostManaged(() => AddressChanged?.Invoke());
            }

            BoardTime.PostManaged(() => AvailabilityChanged?.Invoke(false));
            if (IsToConnect)
            {
                EspWifiConnect();
            }
        }

        /// <summary>PostConnectResult (targetHAL_Network.cpp lines 79-90).</summary>
        private static void PostConnectResult(int result)
        {
            ConnectResult = result;
            ConnectInProgress = false;
        }

        /// <summary>The access point the station is associated with goes away.</summary>
        public static void LoseAccessPoint(string ssid)
        {
            AccessPoint ap = AccessPoints.Find(a => a.Ssid == ssid);
            if (ap != null)
            {
                ap.InRange = false;
            }

            if (_associated && _configSsid == ssid)
            {
                _associated = false;
                Disconnected(new Attempt(), ReasonNoApFound);
            }
        }

        private sealed class Attempt
        {
            public int Reason;
            public bool Aborted;
        }
    }

    public sealed class AccessPoint
    {
        public string Ssid;
        public string Password;
        public int RssiDbm = -50;
        public bool InRange = true;
    }
}
