namespace IotyDevice.Core
{
    /// <summary>One monitor line per failure, naming the likely fix in a learner's words.</summary>
    public static class FailureText
    {
        /// <summary>A refused CONNACK. The board connects with MQTT 5, whose reason codes are 0x80 and up; a broker that
        /// only speaks MQTT 3.1.1 answers with its own codes 1..5, so both are named the same way.</summary>
        public static string ForRefusal(int code)
        {
            string shown = code < 0x80 ? code.ToString() : "0x" + code.ToString("X2");
            switch (code)
            {
                case ConnectResult.UnacceptableProtocolVersion:
                case ConnectResult.UnsupportedProtocolVersion:
                    return "MQTT: refused: the broker does not speak MQTT 5 (code " + shown + "), which the board needs to keep messages within "
                           + MqttLimits.MaxPacketBytes.ToString() + " bytes; check BrokerHost and BrokerPort, and use an MQTT 5 broker (HiveMQ Cloud, Mosquitto 1.6+)";
                case ConnectResult.IdentifierRejected:
                case ConnectResult.ClientIdentifierNotValid:
                    return "MQTT: refused: client ID rejected (code " + shown + "); check ClientIdPrefix";
                case ConnectResult.ServerUnavailable:
                case ConnectResult.ServerUnavailable5:
                case ConnectResult.ServerBusy:
                    return "MQTT: refused: broker unavailable (code " + shown + "); it will be retried";
                case ConnectResult.BadUsernameOrPassword:
                case ConnectResult.BadUsernameOrPassword5:
                    return "MQTT: refused: bad user name or password (code " + shown + "); check BrokerUsername and BrokerPassword (your broker's access credentials)";
                case ConnectResult.NotAuthorized:
                case ConnectResult.NotAuthorized5:
                    return "MQTT: refused: not authorized (code " + shown + "); check BrokerUsername/BrokerPassword credentials and the broker's permissions for this client";
                case ConnectResult.Banned:
                    return "MQTT: refused: this client is banned by the broker (code " + shown + "); ask the broker's owner, or check ClientIdPrefix";
                case ConnectResult.QuotaExceeded:
                case ConnectResult.ConnectionRateExceeded:
                    return "MQTT: refused: the broker's connection limit or quota is reached (code " + shown + "); it will be retried";
                case ConnectResult.UseAnotherServer:
                case ConnectResult.ServerMoved:
                    return "MQTT: refused: the broker says to use another server (code " + shown + "); check BrokerHost";
                default:
                    return "MQTT: refused with code " + shown;
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
                case TransportFault.ClosedBeforeConnack:
                    return "MQTT: " + where + " closed the connection before answering CONNECT; check BrokerUsername, BrokerPassword and ClientIdPrefix, and that BrokerPort is the broker's MQTT-over-TLS port (8883)" + detail;
                case TransportFault.Rejected:
                    return "MQTT: the MQTT library refused to send CONNECT; check StatusTopic (the last will) and ClientIdPrefix" + detail;
                case TransportFault.Timeout:
                    return "MQTT: " + where + " timed out; is it an MQTT-over-TLS port (8883), and is the clock right?" + detail;
                default:
                    return "MQTT: connection to " + where + " failed" + detail;
            }
        }
    }
}
