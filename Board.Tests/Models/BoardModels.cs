using System.Collections.Generic;
using System.Device.Wifi;
using System.Net.NetworkInformation;

namespace Board.Models
{
    /// <summary>The models' shared state: a board just powered on, with one access point and one broker. Every test
    /// starts with <see cref="Reset"/>; the tests of this assembly run one at a time (see AssemblyInfo.cs).</summary>
    public static class BoardModels
    {
        public const string Ssid = "ClassroomWiFi";
        public const string WifiPassword = "correct horse";

        public static ModelBroker Broker { get; private set; } = new ModelBroker();

        /// <summary>True while the test holds the listener call in progress on M2Mqtt's dispatch thread (as a full inbox
        /// holds it on the board): later events wait in the library's queue.</summary>
        public static bool DispatchHeld { get; private set; }

        public static void HoldDispatch()
        {
            DispatchHeld = true;
        }

        public static void ReleaseDispatch()
        {
            DispatchHeld = false;
            foreach (nanoFramework.M2Mqtt.MqttClient client in Clients)
            {
                client.DispatchReleased();
            }
        }

        /// <summary>Every MqttClient made since the reset.</summary>
        public static readonly List<nanoFramework.M2Mqtt.MqttClient> Clients = new List<nanoFramework.M2Mqtt.MqttClient>();

        /// <summary>Resets everything; the access point is in range with <see cref="WifiPassword"/>, and the board's
        /// stored configuration is <paramref name="storedSsid"/>/<paramref name="storedPassword"/> (none by
        /// default), with which it starts joining by itself (<see cref="Esp32Wifi.Boot"/>).</summary>
        public static void Reset(string storedSsid = null, string storedPassword = null)
        {
            BoardTime.Reset();
            BoardPins.Reset();
            Esp32Wifi.Reset();
            WifiAdapter.Reset();
            NetworkChange.Reset();
            Clients.Clear();
            DispatchHeld = false;
            BoardMemory.FreeBytes = long.MaxValue;
            nanoFramework.M2Mqtt.MqttSettings.Instance.ValidateServerCertificate = true;
            Broker = new ModelBroker();
            Esp32Wifi.AccessPoints.Add(new AccessPoint { Ssid = Ssid, Password = WifiPassword, RssiDbm = -55 });
            Esp32Wifi.StoredSsid = storedSsid;
            Esp32Wifi.StoredPassword = storedPassword;
            Esp32Wifi.Boot();
        }
    }
}
