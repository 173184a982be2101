namespace IotyDevice.Core
{
    /// <summary>Formats a received message as one monitor line, "Received on topic1: on", in a buffer allocated
    /// once: the main loop prints every message without allocating. Payloads are decoded as UTF-8 safely; long
    /// topics and payloads are cut, and a cut payload shows its real size.</summary>
    public class MessageLine
    {
        public const int MaxTopicChars = 80;
        private const string Prefix = "Received on ";
        private const string Separator = ": ";
        private const string Empty = "(empty)";
        private const string CutOpen = "... (";
        private const string CutClose = " bytes)";
        private const int MaxDigits = 10;

        private readonly char[] _chars;
        private readonly int _maxPayloadChars;

        public MessageLine(int maxPayloadChars)
        {
            _maxPayloadChars = maxPayloadChars;
            _chars = new char[Prefix.Length + MaxTopicChars + 3 + Separator.Length + maxPayloadChars
                              + CutOpen.Length + MaxDigits + CutClose.Length];
        }

        public char[] Chars { get { return _chars; } }

        /// <summary>Formats the line into <see cref="Chars"/> and returns its length.</summary>
        public int Format(string topic, byte[] payload)
        {
            int n = Append(Prefix, 0);
            int topicChars = topic.Length <= MaxTopicChars ? topic.Length : MaxTopicChars;
            for (int i = 0; i < topicChars; i++)
            {
                char c = topic[i];
                _chars[n++] = Utf8.MustReplace(c) ? Utf8.Replacement : c;
            }

            if (topicChars < topic.Length)
            {
                n = Append("...", n);
            }

            n = Append(Separator, n);
            int size = payload.Length; // never null: MqttMessage hands an empty array for an empty message
            if (size == 0)
            {
                return Append(Empty, n);
            }

            int consumed;
            n += Utf8.Decode(payload, 0, size, _chars, n, _maxPayloadChars, out consumed);
            if (consumed < size)
            {
                n = Append(CutOpen, n);
                n = AppendNumber(size, n);
                n = Append(CutClose, n);
            }

            return n;
        }

        private int Append(string text, int at)
        {
            for (int i = 0; i < text.Length; i++)
            {
                _chars[at++] = text[i];
            }

            return at;
        }

        private int AppendNumber(int value, int at)
        {
            int digits = 1;
            for (int v = value / 10; v > 0; v /= 10)
            {
                digits++;
            }

            for (int i = digits - 1; i >= 0; i--)
            {
                _chars[at + i] = (char)('0' + value % 10);
                value /= 10;
            }

            return at + digits;
        }
    }
}
