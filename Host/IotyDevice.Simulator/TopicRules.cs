using System.Collections.Generic;
using MQTTnet.Exceptions;
using MQTTnet.Packets;

namespace IotyDevice.Simulator
{
    /// <summary>What Mosquitto refuses and MQTTnet's broker lets through (MQTT 3.1.1, 3.3.2.2 and 3.8.3): a PUBLISH
    /// whose topic name has a wildcard or a NUL (MQTTnet relayed "#" and "topic1/#" to subscribers), a SUBSCRIBE
    /// without a topic filter or with a malformed one. Mosquitto closes such a connection as malformed; so does this.</summary>
    internal static class TopicRules
    {
        /// <summary>Throws for a packet Mosquitto would refuse; the connection then ends.</summary>
        public static void Check(MqttPacket packet)
        {
            MqttPublishPacket publish = packet as MqttPublishPacket;
            if (publish != null && (publish.Topic.IndexOfAny(new[] { '+', '#', '\0' }) >= 0 || publish.Topic.Length == 0 && publish.TopicAlias == 0))
                throw new MqttProtocolViolationException("a PUBLISH to an invalid topic name");
            MqttSubscribePacket subscribe = packet as MqttSubscribePacket;
            if (subscribe == null) return;
            List<MqttTopicFilter> filters = subscribe.TopicFilters;
            if (filters == null || filters.Count == 0)
                throw new MqttProtocolViolationException("a SUBSCRIBE without a topic filter");
            foreach (MqttTopicFilter filter in filters)
            {
                if (!ValidFilter(filter.Topic)) throw new MqttProtocolViolationException("a SUBSCRIBE with an invalid topic filter");
            }
        }

        /// <summary>Not empty, no NUL; + only as a whole level, # only as the whole last level.</summary>
        private static bool ValidFilter(string filter)
        {
            if (string.IsNullOrEmpty(filter) || filter.IndexOf('\0') >= 0) return false;
            string[] levels = filter.Split('/');
            for (int i = 0; i < levels.Length; i++)
            {
                string level = levels[i];
                bool wildcard = level == "+" || level == "#" && i == levels.Length - 1;
                if (!wildcard && level.IndexOfAny(new[] { '+', '#' }) >= 0) return false;
            }
            return true;
        }
    }
}
