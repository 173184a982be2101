namespace IotyDevice.Core
{
    /// <summary>Who the board is on the broker: the client ID (ClientIdPrefix + chip ID), the status topic that says
    /// "online" (retained) and whose last will says "offline", and the monitor topic the mirror publishes to.</summary>
    public class Presence
    {
        private readonly INetwork _network;
        private readonly MonitorMirror _mirror;
        private string _chipId;
        private string _clientId;
        private string _statusTopic;

        public Presence(INetwork network, MonitorMirror mirror)
        {
            _network = network;
            _mirror = mirror;
        }

        /// <summary>Reads the chip ID once; some boards only report the MAC after WiFi has started.</summary>
        public bool TryChipId()
        {
            if (_chipId != null)
            {
                return true;
            }

            byte[] mac = _network.MacAddress;
            if (mac == null || mac.Length != ChipId.MacLength)
            {
                return false;
            }

            _chipId = ChipId.FromMac(mac);
            _mirror.WriteLine("Chip ID: " + _chipId);
            return true;
        }

        /// <summary>The CONNECT for these settings (the chip ID must be known); also points the mirror at the
        /// monitor topic of this client ID.</summary>
        public MqttConnectRequest ConnectRequest(DeviceSettings settings)
        {
            _clientId = settings.ClientIdPrefix + _chipId;
            _statusTopic = settings.StatusTopic == null || settings.StatusTopic.Length == 0
                ? null
                : TopicTemplate.Expand(settings.StatusTopic, _clientId);
            _mirror.SetTopic(settings.MonitorTopic == null ? null : TopicTemplate.Expand(settings.MonitorTopic, _clientId));

            MqttConnectRequest request = new MqttConnectRequest();
            request.Host = settings.BrokerHost;
            request.Port = settings.BrokerPort;
            request.ClientId = _clientId;
            request.Username = settings.BrokerUsername;
            request.Password = settings.BrokerPassword;
            request.CaCertificate = settings.CaCertificate;
            // A persistent session: QoS 1 messages sent while the board was away are kept by the broker.
            request.CleanSession = false;
            request.KeepAliveSeconds = settings.KeepAliveSeconds;
            if (_statusTopic != null)
            {
                request.WillTopic = _statusTopic;
                request.WillPayload = Utf8.Encode("offline");
                request.WillQos = 1;
                request.WillRetain = true;
            }

            return request;
        }

        /// <summary>Publishes "online" (retained) to the status topic, if there is one. Throws what the transport throws.</summary>
        public void SayOnline(IMqttTransport mqtt)
        {
            if (_statusTopic != null)
            {
                mqtt.Publish(_statusTopic, Utf8.Encode("online"), 1, true);
            }
        }

        /// <summary>Publishes "offline" (retained) before a deliberate close, as well as the will: M2Mqtt's Close sends
        /// no DISCONNECT, so the broker publishes the will anyway; the orderly close gives this PUBLISH time to leave.</summary>
        public void SayOffline(IMqttTransport mqtt)
        {
            if (_statusTopic == null)
            {
                return;
            }

            try
            {
                mqtt.Publish(_statusTopic, Utf8.Encode("offline"), 1, true);
            }
            catch (System.Exception)
            {
                // Closing anyway; the broker's copy of the status stays as it was.
            }
        }
    }
}
