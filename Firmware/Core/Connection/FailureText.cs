namespace IotyDevice.Core
{
    /// <summary>One monitor line per failure, naming the likely fix in a learner's words.</summary>
    public static class FailureText
    {
        public static string ForRefusal(int code)
        {
            switch (code)
            {
                case ConnectResult.UnacceptableProtocolVersion:
                    return "MQTT: refused: the broker does not speak MQTT 3.1.1 (code 1); check BrokerHost and BrokerPort";
                case ConnectResult.IdentifierRejected:
                    return "MQTT: refused: client ID rejected (code 2); check ClientIdPrefix";
                case ConnectResult.ServerUnavailable:
                    return "MQTT: refused: broker unavailable (code 3); it will be retried";
                case ConnectResult.BadUsernameOrPassword:
                    return "MQTT: refused: bad user name or password (code 4); check BrokerUsername and BrokerPassword (your broker's access credentials)";
                case ConnectResult.NotAuthorized:
                    return "MQTT: refused: not authorized (code 5); check BrokerUsername/BrokerPassword credentials and the broker's permissions for this client";
                default:
                    return "MQTT: refused with code " + code.ToString();
            }
        }

        /// <summary>Four dot-separated numbers 0..255, e.g. 192.168.1.20.</summary>
        private static bool IsIpv4Address(string host)
        {
            string[] parts = host.Split('.');
            if (parts.Length != 4)
            {
                return false;
            }

            for (int i = 0; i < parts.Length; i++)
            {
                string part = parts[i];
                if (part.Length == 0 || part.Length > 3)
                {
                    return false;
                }

                int value = 0;
                for (int j = 0; j < part.Length; j++)
                {
                    if (part[j] < '0' || part[j] > '9')
                    {
                        return false;
                    }

                    value = value * 10 + (part[j] - '0');
                }

                if (value > 255)
                {
                    return false;
                }
            }

            return true;
        }

        public static string ForFault(MqttTransportException e, string host, int port)
        {
            string where = host + ":" + port.ToString();
            string detail = e.Message == null || e.Message.Length == 0 ? "" : " (" + e.Message + ")";
            switch (e.Fault)
            {
                case TransportFault.HostNotFound:
                    return "MQTT: broker host " + host + " not found; check BrokerHost" + detail;
                case TransportFault.Unreachable:
                    return "MQTT: cannot reach " + where + "; check BrokerHost, BrokerPort and that the broker is up" + detail;
                case TransportFault.TlsHandshake:
                    return "MQTT: TLS handshake with " + where + " failed; is it an MQTT-over-TLS port (8883)?" + detail;
                case TransportFault.Certificate:
                    return "MQTT: the broker's certificate was not accepted; check CaCertificate matches your broker's CA and BrokerHost matches its certificate" + detail
                        + (IsIpv4Address(host) ? "; BrokerHost is an IP address, but broker certificates name host names: use the host name the certificate was issued for" : "");
                case TransportFault.Timeout:
                    return "MQTT: " + where + " timed out; is it an MQTT-over-TLS port (8883), and is the clock right?" + detail;
                default:
                    return "MQTT: connection to " + where + " failed" + detail;
            }
        }

        public static string ForJoin(NetworkJoinResult result, string ssid, string detail)
        {
            string extra = detail == null || detail.Length == 0 ? "" : " (" + detail + ")";
            switch (result)
            {
                case NetworkJoinResult.TimedOut:
                    return "WiFi: could not join " + ssid + "; wrong password? check WifiSsid/WifiPassword and that the network is 2.4 GHz" + extra;
                case NetworkJoinResult.NoIpAddress:
                    return "WiFi: joined " + ssid + " but got no IP address (DHCP); check the router" + extra;
                case NetworkJoinResult.NoNetworkTime:
                    return "WiFi: joined " + ssid + " but network time (SNTP) did not arrive; TLS needs the date" + extra;
                case NetworkJoinResult.NoAdapter:
                    return "WiFi: this board reports no WiFi interface; flash an ESP32 WiFi image with nanoff" + extra;
                default:
                    return "WiFi: joining " + ssid + " failed" + extra;
            }
        }
    }
}
