using System;

namespace IotyDevice.Core
{
    /// <summary>The monitor, also sent to MQTT (setting MonitorTopic): every line goes to the real monitor at once and
    /// is kept in a bounded ring; <see cref="Pump"/>, called by the loop while online, publishes the ring oldest
    /// first at QoS 0. Lines printed offline (the ones that say why) go out after the next connect, marked with how
    /// long ago they were printed. A burst of the whole ring, then about one line per interval: a flood on topic1
    /// never becomes a flood on the monitor topic; what the ring had to drop is counted in one line. Keeping a line
    /// allocates nothing for a message line (copied into a slot's own buffer) and a printed string is only
    /// referenced, so the loop's idle and per-message paths stay at 0 B.</summary>
    public class MonitorMirror : IMonitor
    {
        private const string AgoOpen = "(";
        private const string AgoClose = " s ago) ";
        private const string DroppedOpen = "Monitor: ";
        private const string DroppedClose = " earlier lines not sent here (the mirror keeps the last ";
        private const string DroppedRate = " and sends about ";
        private const string DroppedTail = " a second; the serial monitor shows every line)";
        private const int MaxDigits = 10;

        /// <summary>A printed string longer than this is cut on the mirror (message lines never are: they are
        /// already cut by <see cref="MessageLine"/>).</summary>
        public const int MaxTextChars = 400;

        private readonly IMonitor _monitor;
        private readonly IClock _clock;
        private readonly int _intervalMs;
        private readonly int _maxLineChars;
        private readonly string[] _texts;
        private readonly char[][] _lines;
        private readonly int[] _lineCounts;
        private readonly long[] _printedAtMs;
        private readonly char[] _outgoing;
        private readonly LinePayloads _payloads;
        private int _oldest;
        private int _count;
        private int _dropped;
        private int _tokens;
        private long _refilledAtMs;
        private bool _off;
        private string _topic;

        /// <param name="monitor">The real monitor; it gets every line first.</param>
        /// <param name="capacity">Lines kept while offline or waiting for their turn.</param>
        /// <param name="intervalMs">After the burst of a whole ring, one line per this long.</param>
        /// <param name="maxMessageLineChars">The longest message line (<see cref="MessageLine.Chars"/>' length).</param>
        public MonitorMirror(IMonitor monitor, IClock clock, int capacity, int intervalMs, int maxMessageLineChars)
        {
            _monitor = monitor;
            _clock = clock;
            _intervalMs = intervalMs;
            _maxLineChars = maxMessageLineChars;
            _texts = new string[capacity];
            _lines = new char[capacity][];
            _lineCounts = new int[capacity];
            _printedAtMs = new long[capacity];
            int longest = maxMessageLineChars > MaxTextChars + 3 ? maxMessageLineChars : MaxTextChars + 3;
            _outgoing = new char[AgoOpen.Length + MaxDigits + AgoClose.Length + longest
                                 + DroppedOpen.Length + DroppedClose.Length + DroppedRate.Length + DroppedTail.Length + 3 * MaxDigits];
            // A burst of the whole ring, then lines and drop counts for a second, before any array may be reused.
            _payloads = new LinePayloads(2 * capacity);
            _tokens = capacity;
            _refilledAtMs = clock.NowMs;
        }

        /// <summary>Lines waiting to be published.</summary>
        public int Waiting { get { return _count; } }

        /// <summary>The topic lines are published to, from the next <see cref="Pump"/> on; null or "" turns the
        /// mirror off for good (MonitorTopic ""), forgetting what it kept.</summary>
        public void SetTopic(string topic)
        {
            if (topic == null || topic.Length == 0)
            {
                _off = true;
                _topic = null;
                for (int i = 0; i < _texts.Length; i++)
                {
                    _texts[i] = null;
                }

                _count = 0;
                _dropped = 0;
                return;
            }

            _topic = topic;
        }

        public void WriteLine(string line)
        {
            _monitor.WriteLine(line);
            if (_off)
            {
                return;
            }

            int slot = Claim();
            _texts[slot] = line;
        }

        public void WriteLine(char[] chars, int count)
        {
            _monitor.WriteLine(chars, count);
            if (_off)
            {
                return;
            }

            int slot = Claim();
            _texts[slot] = null;
            char[] line = _lines[slot];
            if (line == null)
            {
                // Once per slot, at the first message line it holds; reused from then on.
                line = new char[_maxLineChars];
                _lines[slot] = line;
            }

            int n = count < line.Length ? count : line.Length;
            Array.Copy(chars, line, n);
            _lineCounts[slot] = n;
        }

        /// <summary>Publishes what the rate allows, oldest first. Call only while online. A publish that fails keeps
        /// its line for the next connection and ends the pass; it never throws and never prints (a printed error
        /// would be mirrored in turn).</summary>
        public void Pump(IMqttTransport mqtt)
        {
            if (_topic == null || (_count == 0 && _dropped == 0))
            {
                return;
            }

            long now = _clock.NowMs;
            Refill(now);
            while (_tokens > 0 && (_count > 0 || _dropped > 0))
            {
                // The count of what was dropped rides along with the line after the gap; it takes no turn of its own,
                // so a flood still shows its lines, not only counts.
                if (_dropped > 0)
                {
                    if (!Send(mqtt, FormatDropped(), now))
                    {
                        return;
                    }

                    _dropped = 0;
                }

                if (_count == 0 || !Send(mqtt, FormatOldest(now), now))
                {
                    return;
                }

                _tokens--;
                _texts[_oldest] = null;
                _oldest = (_oldest + 1) % _texts.Length;
                _count--;
            }
        }

        private bool Send(IMqttTransport mqtt, int length, long now)
        {
            try
            {
                mqtt.Publish(_topic, _payloads.Encode(_outgoing, length, now), 0, false);
                return true;
            }
            catch (Exception)
            {
                // Not connected (any more): the loop notices the loss; the line waits for the next connection.
                return false;
            }
        }

        /// <summary>The slot for a new line: the next free one, or the oldest, whose line is then counted as dropped.</summary>
        private int Claim()
        {
            int capacity = _texts.Length;
            if (_count == capacity)
            {
                _texts[_oldest] = null;
                _oldest = (_oldest + 1) % capacity;
                _count--;
                _dropped++;
            }

            int slot = (_oldest + _count) % capacity;
            _printedAtMs[slot] = _clock.NowMs;
            _count++;
            return slot;
        }

        private void Refill(long now)
        {
            long gained = (now - _refilledAtMs) / _intervalMs;
            if (gained <= 0)
            {
                return;
            }

            _refilledAtMs += gained * _intervalMs;
            long tokens = _tokens + gained;
            _tokens = tokens > _texts.Length ? _texts.Length : (int)tokens;
        }

        private int FormatOldest(long now)
        {
            int n = 0;
            long agoMs = now - _printedAtMs[_oldest];
            if (agoMs >= 1000)
            {
                n = Append(AgoOpen, n);
                n = AppendNumber(agoMs / 1000, n);
                n = Append(AgoClose, n);
            }

            string text = _texts[_oldest];
            if (text == null)
            {
                Array.Copy(_lines[_oldest], 0, _outgoing, n, _lineCounts[_oldest]);
                return n + _lineCounts[_oldest];
            }

            int chars = text.Length <= MaxTextChars ? text.Length : MaxTextChars;
            for (int i = 0; i < chars; i++)
            {
                _outgoing[n++] = text[i];
            }

            return chars < text.Length ? Append("...", n) : n;
        }

        private int FormatDropped()
        {
            int n = Append(DroppedOpen, 0);
            n = AppendNumber(_dropped, n);
            n = Append(DroppedClose, n);
            n = AppendNumber(_texts.Length, n);
            n = Append(DroppedRate, n);
            n = AppendNumber(1000 / _intervalMs, n);
            return Append(DroppedTail, n);
        }

        private int Append(string text, int at)
        {
            for (int i = 0; i < text.Length; i++)
            {
                _outgoing[at++] = text[i];
            }

            return at;
        }

        private int AppendNumber(long value, int at)
        {
            int digits = 1;
            for (long v = value / 10; v > 0; v /= 10)
            {
                digits++;
            }

            for (int i = digits - 1; i >= 0; i--)
            {
                _outgoing[at + i] = (char)('0' + (int)(value % 10));
                value /= 10;
            }

            return at + digits;
        }
    }
}
