using System.Collections.Generic;
using Board.Models;

// Models of nanoframework/System.Device.Wifi v1.5.147 (System.Device.Wifi/*.cs; the newest stored tag: the pinned
// 1.5.149 is not in the stored history) over the ESP32 native code in Esp32Wifi.
namespace System.Device.Wifi
{
    /// <summary>WifiConnectionStatus.cs (lines 11-46).</summary>
    public enum WifiConnectionStatus
    {
        AccessRevoked,
        InvalidCredential,
        NetworkNotAvailable,
        Success,
        Timeout,
        UnspecifiedFailure,
        UnsupportedAuthenticationProtocol,
    }

    /// <summary>WifiReconnectionKind.cs (lines 11-21). Automatic is native option 0: nothing saved
    /// (Target_Network.cpp lines 229-236 save only with NETWORK_CONNECT_SAVE_CONFIG).</summary>
    public enum WifiReconnectionKind
    {
        Automatic,
        Manual,
    }

    /// <summary>WifiNetworkKind.cs.</summary>
    public enum WifiNetworkKind
    {
        Adhoc,
        Any,
        Infrastructure,
    }

    /// <summary>WifiConnectionResult.cs (lines 12-30).</summary>
    public class WifiConnectionResult
    {
        internal WifiConnectionResult(WifiConnectionStatus status)
        {
            ConnectionStatus = status;
        }

        public WifiConnectionStatus ConnectionStatus { get; }
    }

    /// <summary>WifiAvailableNetwork.cs (lines 11-55).</summary>
    public class WifiAvailableNetwork
    {
        public string Bsid { get; internal set; }

        public string Ssid { get; internal set; }

        public WifiNetworkKind NetworkKind => WifiNetworkKind.Infrastructure;

        public double NetworkRssiInDecibelMilliwatts { get; internal set; }
    }

    /// <summary>WifiNetworkReport.cs (lines 11-30).</summary>
    public class WifiNetworkReport
    {
        internal WifiNetworkReport(WifiAvailableNetwork[] networks)
        {
            AvailableNetworks = networks;
        }

        public WifiAvailableNetwork[] AvailableNetworks { get; }
    }

    /// <summary>WifiAdapter.cs, line 15.</summary>
    public delegate void AvailableNetworksChangedEventHandler(WifiAdapter sender, object e);

    /// <summary>WifiAdapter.cs. Every adapter made registers in WifiEventListener's static list and is removed only
    /// by Dispose (lines 27, 265-279; WifiEventListener.cs): <see cref="Registered"/> counts them.</summary>
    public sealed class WifiAdapter : IDisposable
    {
        /// <summary>Adapters alive in WifiEventListener's list.</summary>
        public static int Registered { get; private set; }

        private static readonly List<WifiAdapter> Listening = new List<WifiAdapter>();

        private readonly int _networkInterface;

        private WifiAdapter(int networkInterface)
        {
            _networkInterface = networkInterface;
            Registered++;
            Listening.Add(this);
        }

        internal static void Reset()
        {
            Registered = 0;
            Listening.Clear();
            Esp32Wifi.ScanDone += () =>
            {
                foreach (WifiAdapter adapter in Listening.ToArray())
                {
                    adapter.AvailableNetworksChanged?.Invoke(adapter, null);
                }
            };
        }

        /// <summary>Raised on the event thread when a scan completes (WifiEventListener -> OnAvailableNetworksChangedInternal,
        /// lines 36-58).</summary>
        public event AvailableNetworksChangedEventHandler AvailableNetworksChanged;

        public int NetworkInterface => _networkInterface;

        /// <summary>The last scan's result, read from native each time (lines 71-80).</summary>
        public WifiNetworkReport NetworkReport
        {
            get
            {
                List<AccessPoint> seen = Esp32Wifi.LastScan;
                WifiAvailableNetwork[] networks = new WifiAvailableNetwork[seen.Count];
                for (int i = 0; i < seen.Count; i++)
                {
                    networks[i] = new WifiAvailableNetwork { Ssid = seen[i].Ssid, NetworkRssiInDecibelMilliwatts = seen[i].RssiDbm };
                }

                return new WifiNetworkReport(networks);
            }
        }

        /// <summary>FindAllAdapters (lines 178-192): a new adapter per call.</summary>
        public static WifiAdapter[] FindAllAdapters()
        {
            return new[] { new WifiAdapter(0) };
        }

        public WifiConnectionResult Connect(WifiAvailableNetwork availableNetwork, WifiReconnectionKind reconnectionKind, string passwordCredential)
        {
            return Connect(availableNetwork.Ssid, reconnectionKind, passwordCredential);
        }

        /// <summary>NativeConnect (nf-interpreter targets/ESP32/_nanoCLR/System.Device.Wifi/
        /// sys_dev_wifi_native_System_Device_Wifi_WifiAdapter.cpp lines 107-200): start the connect, then wait (other
        /// managed threads run) for the driver's first result, at most 20 s; map the disconnect reason: 0 Success,
        /// 201 NetworkNotAvailable, 2/15/200/202/203/204 InvalidCredential, others UnspecifiedFailure; no result in
        /// time Timeout.</summary>
        public WifiConnectionResult Connect(string ssid, WifiReconnectionKind reconnectionKind, string passwordCredential)
        {
            if (ssid == null || passwordCredential == null)
            {
                throw new ArgumentNullException(); // FAULT_ON_NULL, lines 129-134
            }

            Esp32Wifi.StartConnectFromManaged(ssid, passwordCredential);
            long end = BoardTime.NowMs + 20000;
            while (Esp32Wifi.ConnectResultNow < 0)
            {
                if (BoardTime.NowMs >= end)
                {
                    return new WifiConnectionResult(WifiConnectionStatus.Timeout);
                }

                BoardTime.Advance(10);
            }

            switch (Esp32Wifi.ConnectResultNow)
            {
                case 0:
                    return new WifiConnectionResult(WifiConnectionStatus.Success);
                case Esp32Wifi.ReasonNoApFound:
                    return new WifiConnectionResult(WifiConnectionStatus.NetworkNotAvailable);
                case 2:
                case 15:
                case 200:
                case 202:
                case 203:
                case 204:
                    return new WifiConnectionResult(WifiConnectionStatus.InvalidCredential);
                default:
                    return new WifiConnectionResult(WifiConnectionStatus.UnspecifiedFailure);
            }
        }

        /// <summary>NativeDisconnect (lines 205-216): Network_Interface_Disconnect, which clears the driver's own retry.</summary>
        public void Disconnect()
        {
            Esp32Wifi.Disconnect();
        }

        /// <summary>NativeScanAsync (lines 220-258): busy while the station is connecting.</summary>
        public void ScanAsync()
        {
            if (!Esp32Wifi.StartScan())
            {
                throw new Exception();
            }
        }

        public void Dispose()
        {
            if (Listening.Remove(this))
            {
                Registered--;
            }
        }
    }
}
