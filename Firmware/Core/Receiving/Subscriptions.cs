namespace IotyDevice.Core
{
    /// <summary>The lesson's topics and what the broker said of each. A SUBSCRIBE is only queued when
    /// <see cref="SubscribeAll"/> returns, so "subscribed" is said when its SUBACK grants it, and a refusal (0x80:
    /// the credentials may not read the topic) gets one line naming the topic and the fix.</summary>
    public class Subscriptions
    {
        // SUBACKs handed over from the library's threads; matched by the loop after Subscribe has returned.
        private readonly AckQueue _subacks = new AckQueue(16);
        private string[] _topics = new string[0];
        private int[] _messageIds = new int[0];

        /// <summary>The topics to subscribe from the next connection on (the lesson's, from the settings).</summary>
        public void SetTopics(string[] topics)
        {
            _topics = topics == null ? new string[0] : topics;
            _messageIds = new int[_topics.Length];
        }

        /// <summary>Subscribes every topic at QoS 1. Every connection: cheap, and right even when the broker lost the
        /// session. Throws what the transport throws.</summary>
        public void SubscribeAll(IMqttTransport mqtt)
        {
            for (int i = 0; i < _topics.Length; i++)
            {
                _messageIds[i] = mqtt.Subscribe(_topics[i], 1);
            }
        }

        /// <summary>Called on the library's thread: records the SUBACK, nothing more.</summary>
        public void OnSubscribed(int connection, int messageId, int grantedQos)
        {
            _subacks.Put(connection, messageId, grantedQos);
        }

        /// <summary>The next line to print about a SUBACK of <paramref name="connection"/> (the loop's current one),
        /// or null when there is none; SUBACKs of connections already left behind are passed over.</summary>
        public string NextReport(int connection)
        {
            int from;
            int messageId;
            int granted;
            while (_subacks.TryTake(out from, out messageId, out granted))
            {
                int index = from == connection ? IndexOf(messageId) : -1;
                if (index < 0)
                {
                    continue;
                }

                string topic = _topics[index];
                // 0x80 and up refuse (MQTT 5 names the reason: 0x87 not authorized, 0x8F topic filter invalid, ...).
                return granted >= ConnectResult.SubscriptionRefused
                    ? "MQTT: the broker refused the subscription to " + topic + " (SUBACK 0x" + granted.ToString("X2") + "), so nothing sent to it will arrive; allow BrokerUsername to subscribe to "
                      + topic + " in the broker's permissions (HiveMQ Cloud: Access Management)"
                    : "MQTT: subscribed to " + topic;
            }

            return null;
        }

        private int IndexOf(int messageId)
        {
            for (int i = 0; i < _messageIds.Length; i++)
            {
                if (_messageIds[i] == messageId)
                {
                    return i;
                }
            }

            return -1;
        }
    }
}
