namespace IotyDevice.Core
{
    /// <summary>The message a lesson's OnMessage is handed. One instance is reused for every message (the main loop
    /// allocates nothing per message) and cleared once the lesson has handled it, so keep <see cref="Text"/> or <see cref="Payload"/>, not the message itself.</summary>
    public class MqttMessage
    {
        private string _topic;
        private byte[] _payload;

        /// <summary>The topic it arrived on, e.g. "topic1".</summary>
        public string Topic { get { return _topic; } }

        /// <summary>The payload bytes as received (never null; empty for an empty message).</summary>
        public byte[] Payload { get { return _payload; } }

        /// <summary>The payload decoded as UTF-8 (invalid bytes become U+FFFD). Makes a new string on each call.</summary>
        public string Text
        {
            get
            {
                char[] chars = new char[_payload.Length];
                int consumed;
                int count = Utf8.Decode(_payload, 0, _payload.Length, chars, 0, chars.Length, out consumed);
                return new string(chars, 0, count);
            }
        }

        /// <summary>True when the payload is exactly <paramref name="text"/> (UTF-8), e.g. message.Is("on");
        /// compares without making a string.</summary>
        public bool Is(string text)
        {
            int at = 0;
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                if (c >= 0x80)
                {
                    return text == Text; // rare: non-ASCII text, compare the decoded string
                }

                if (at >= _payload.Length || _payload[at++] != c)
                {
                    return false;
                }
            }

            return at == _payload.Length;
        }

        internal void Set(string topic, byte[] payload)
        {
            _topic = topic;
            _payload = payload == null ? Empty : payload;
        }

        /// <summary>Forgets the message once it has been handled: the board's heap is too small to keep a payload
        /// (up to <see cref="MqttLimits.MaxPacketBytes"/>) alive until the next message.</summary>
        internal void Clear()
        {
            _topic = null;
            _payload = Empty;
        }

        private static readonly byte[] Empty = new byte[0];
    }
}
