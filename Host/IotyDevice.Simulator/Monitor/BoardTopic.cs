using System;
using IotyDevice.Core;

namespace IotyDevice.Simulator
{
    /// <summary>A topic template of the settings ("{clientId}/monitor") on the watching side: the filter that
    /// subscribes to one board or to all of them, and which board a received topic belongs to.</summary>
    internal sealed class BoardTopic
    {
        private readonly string[] _levels;
        private readonly string _clientIdPrefix;

        public BoardTopic(string template, string clientIdPrefix)
        {
            Template = template;
            _levels = template.Split('/');
            _clientIdPrefix = clientIdPrefix ?? "";
        }

        public string Template { get; private set; }

        /// <summary>The filter for the board with chip ID <paramref name="chipId"/>, or for every board (null).</summary>
        public string Filter(string chipId)
        {
            if (chipId != null) return TopicTemplate.Expand(Template, ClientIdOf(chipId));
            var levels = new string[_levels.Length];
            for (int i = 0; i < levels.Length; i++)
                levels[i] = _levels[i].Contains(DeviceSettings.ClientIdPlaceholder, StringComparison.Ordinal) ? "+" : _levels[i];
            return string.Join("/", levels);
        }

        /// <summary>The chip ID a received topic belongs to (the client ID without ClientIdPrefix), or null if the
        /// topic is not this template's. A template without "{clientId}" cannot tell boards apart: the topic itself.</summary>
        public string ChipIdOf(string topic)
        {
            string[] levels = topic.Split('/');
            if (levels.Length != _levels.Length) return null;
            string clientId = null;
            for (int i = 0; i < levels.Length; i++)
            {
                int at = _levels[i].IndexOf(DeviceSettings.ClientIdPlaceholder, StringComparison.Ordinal);
                if (at < 0)
                {
                    if (levels[i] != _levels[i]) return null;
                    continue;
                }
                string before = _levels[i].Substring(0, at);
                string after = _levels[i].Substring(at + DeviceSettings.ClientIdPlaceholder.Length);
                if (levels[i].Length <= before.Length + after.Length || !levels[i].StartsWith(before, StringComparison.Ordinal)
                    || !levels[i].EndsWith(after, StringComparison.Ordinal)) return null;
                clientId = levels[i].Substring(before.Length, levels[i].Length - before.Length - after.Length);
            }
            if (clientId == null) return topic;
            return clientId.StartsWith(_clientIdPrefix, StringComparison.Ordinal) ? clientId.Substring(_clientIdPrefix.Length) : clientId;
        }

        private string ClientIdOf(string chipId) =>
            _clientIdPrefix.Length > 0 && chipId.StartsWith(_clientIdPrefix, StringComparison.Ordinal) ? chipId : _clientIdPrefix + chipId;
    }
}
