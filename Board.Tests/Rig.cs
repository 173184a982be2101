using System.Collections.Generic;
using System.Text;
using Board.Models;
using IotyDevice.Core;

namespace Board.Tests
{
    /// <summary>Records the transport's listener calls in order ("message topic1:m1", "suback 1", "puback True",
    /// "closed"), with whether the transport still read as connected at each.</summary>
    internal sealed class RecordingListener : IMqttListener
    {
        public readonly List<string> Calls = new List<string>();
        public System.Func<bool> IsConnected = () => false;
        public bool? ConnectedAtLoss;
        public System.Action<string> OnCall = _ => { };

        private void Record(string call)
        {
            Calls.Add(call);
            OnCall(call);
        }

        public void OnMessage(string topic, byte[] payload, int qos) => Record("message " + topic + ":" + Encoding.UTF8.GetString(payload));

        public void OnSubscribed(int connection, int messageId, int grantedQos) => Record("suback " + grantedQos);

        public void OnPublished(int connection, int messageId, bool confirmed) => Record("puback " + confirmed);

        public void OnConnectionClosed(int connection)
        {
            ConnectedAtLoss = IsConnected();
            Record("closed");
        }
    }

    internal sealed class Lines : IMonitor
    {
        public readonly List<string> All = new List<string>();

        public void WriteLine(string line) => All.Add(line);

        public void WriteLine(char[] chars, int count) => All.Add(new string(chars, 0, count));

        public int Count(string fragment) => All.FindAll(l => l.Contains(fragment)).Count;

        public override string ToString() => string.Join("\n", All);
    }

    internal static class Rig
    {
        /// <summary>A board whose WiFi is up (joined by itself at power-on with the stored configuration).</summary>
        public static void BoardOnline()
        {
            BoardModels.Reset(BoardModels.Ssid, BoardModels.WifiPassword);
            BoardTime.Advance(5000);
        }

        public static MqttConnectRequest Request(bool cleanSession = false) => new MqttConnectRequest
        {
            Host = BoardModels.Broker.HostName,
            Port = BoardModels.Broker.Port,
            ClientId = "esp32-0a0b0c",
            Username = BoardModels.Broker.Username,
            Password = BoardModels.Broker.Password,
            CaCertificate = DeviceSettings.BuiltInIsrgRootX1,
            CleanSession = cleanSession,
            KeepAliveSeconds = 30,
        };

        public static byte[] Utf8(string text) => Encoding.UTF8.GetBytes(text);
    }
}
