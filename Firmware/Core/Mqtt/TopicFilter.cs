namespace IotyDevice.Core
{
    /// <summary>MQTT topic-filter matching (+ a whole level, # the whole rest), so settings validation can refuse a
    /// topic the device publishes that its own subscription would bring back to it.</summary>
    public static class TopicFilter
    {
        /// <summary>True when <paramref name="filter"/> matches <paramref name="topic"/> as a broker matches them, for
        /// some chip ID: "{clientId}" in the topic stands for <paramref name="clientIdPrefix"/> and 12 hex digits.</summary>
        public static bool CouldMatch(string filter, string topic, string clientIdPrefix)
        {
            string[] f = filter.Split('/');
            string[] t = topic.Split('/');
            // Wildcards at the first level never match topics starting with $ (MQTT 3.1.1, 4.7.2).
            if (t[0].Length > 0 && t[0][0] == '$' && (f[0] == "+" || f[0] == "#"))
            {
                return false;
            }

            for (int i = 0; i < f.Length; i++)
            {
                if (f[i] == "#")
                {
                    return true; // also the parent level: "a/#" matches "a"
                }

                if (i >= t.Length || (f[i] != "+" && !LevelCouldBe(f[i], t[i], clientIdPrefix == null ? "" : clientIdPrefix)))
                {
                    return false;
                }
            }

            return f.Length == t.Length;
        }

        private static bool LevelCouldBe(string level, string template, string prefix)
        {
            int at = template.IndexOf(DeviceSettings.ClientIdPlaceholder);
            if (at < 0)
            {
                return level == template;
            }

            string before = template.Substring(0, at) + prefix;
            string after = template.Substring(at + DeviceSettings.ClientIdPlaceholder.Length);
            if (after.IndexOf(DeviceSettings.ClientIdPlaceholder) >= 0)
            {
                return true; // two client IDs in one level: assume the worst
            }

            if (level.Length != before.Length + ChipId.MacLength * 2 + after.Length
                || level.IndexOf(before) != 0 || level.Substring(level.Length - after.Length) != after)
            {
                return false;
            }

            for (int i = before.Length; i < before.Length + ChipId.MacLength * 2; i++)
            {
                char c = level[i];
                if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')))
                {
                    return false;
                }
            }

            return true;
        }
    }
}
