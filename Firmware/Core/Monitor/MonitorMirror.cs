using System;

namespace IotyDevice.Core
{
    /// <summary>The monitor, also sent to MQTT (setting MonitorTopic): every line goes to the real monitor at once and
    /// is kept in a bounded ring; <see cref="Pump"/>, called by the loop while online, publishes the ring oldest
    /// first at QoS 0. Lines printed offline (the ones that say why) go out after the next connect, marked with how
    /// long ago they were printed. A burst of the whole ring, then about one line per interval: a flood on topic1
    /// never becomes a flood on the monitor topic; what the ring had to drop is counted in one line.
    /// The ring holds strings: a message line becomes a string of its own length (short on the board, whose strings
    /// are UTF-8), and each publish gets a new payload array that is never written again (the board's library sends
    /// it later from its own thread). A few short-lived objects per line cost the board's heap less than buffers
    /// kept for the ring's worst case (a char[] of the longest line per slot was ~21 KB for 32 slots).</summary>
    public class MonitorMirror : IMonitor
    {
        private const string AgoOpen = "(";
        private const string AgoClose = " s ago) ";
        private const string DroppedOpen = "Monitor: ";
        private const string DroppedClose = " earlier lines not sent here (the mirror keeps at most ";
        private const string DroppedChars = " lines or ";
        private const string DroppedRate = " characters and sends about ";
        private const string DroppedTail = " a second; the serial monitor shows every line)";

        /// <summary>A printed line longer than this is cut on the mirror (message lines never are: they are
        /// already cut shorter by <see cref="MessageLine"/>).</summary>
        public const int MaxTextChars = 400;

        private readonly IMonitor _monitor;
        private readonly IClock _clock;
        private readonly int _intervalMs;
        private readonly int _maxChars;
        private readonly string[] _texts;
        private readonly long[] _printedAtMs;
        private int _oldest;
        private int _count;
        private int _chars;
        private int _dropped;
        private int _tokens;
        private long _refilledAtMs;
        private bool _off;
        private string _topic;

        /// <param name="monitor">The real monitor; it gets every line first.</param>
        /// <param name="capacity">Lines kept while offline or waiting for their turn.</param>
        /// <param name="maxChars">Characters kept in all: a ring of long message lines is cut by its oldest.</param>
        /// <param name="intervalMs">After the burst of a whole ring, one line per this long.</param>
        public MonitorMirror(IMonitor monitor, IClock clock, int capacity, int maxChars, int intervalMs)
        {
            _monitor = monitor;
            _clock = clock;
            _maxChars = maxChars;
            _intervalMs = intervalMs;
            _texts = new string[capacity];
            _printedAtMs = new long[capacity];
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
                _chars = 0;
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

            Keep(line);
        }

        public void WriteLine(char[] chars, int count)
        {
            _monitor.WriteLine(chars, count);
            if (_off)
            {
                return;
            }

            // A string of the line's own length: the ring keeps what was printed, not a buffer for the longest line.
            Keep(new string(chars, 0, count));
        }

        /// <summary>Publishes what the rate allows, oldest first. Call only while online. A publish that fails keeps
        /// its line for the next connection and ends the pass; it never throws and never prints (a printed error
        /// would be mirrored in turn).</summary>
        public void Pump(IMqttTransport mqtt)
        {
            // What was dropped is counted only while a line stays after the gap (Keep drops, then keeps one; a pass
            // sends the count before the line after it), so the count never waits without a line.
            if (_topic == null || _count == 0)
            {
                return;
            }

            long now = _clock.NowMs;
            Refill(now);
            while (_tokens > 0 && _count > 0)
            {
                // The count of what was dropped rides along with the line after the gap; it takes no turn of its own,
                // so a flood still shows its lines, not only counts.
                if (_dropped > 0)
                {
                    if (!Send(mqtt, FormatDropped()))
                    {
                        return;
                    }

                    _dropped = 0;
                }

                if (!Send(mqtt, FormatOldest(now)))
                {
                    return;
                }

                _tokens--;
                RemoveOldest();
            }
        }

        private bool Send(IMqttTransport mqtt, string line)
        {
            try
            {
                mqtt.Publish(_topic, Utf8.Encode(line), 0, false);
                return true;
            }
            catch (Exception)
            {
                // Not connected (any more): the loop notices the loss; the line waits for the next connection.
                return false;
            }
        }

        /// <summary>Keeps a line, first dropping (and counting) the oldest while the ring is full by lines or characters.</summary>
        private void Keep(string line)
        {
            while (_count > 0 && (_count == _texts.Length || _chars + line.Length > _maxChars))
            {
                RemoveOldest();
                _dropped++;
            }

            int slot = (_oldest + _count) % _texts.Length;
            _texts[slot] = line;
            _printedAtMs[slot] = _clock.NowMs;
            _chars += line.Length;
            _count++;
        }

        private void RemoveOldest()
        {
            _chars -= _texts[_oldest].Length;
            _texts[_oldest] = null;
            _oldest = (_oldest + 1) % _texts.Length;
            _count--;
        }

        private void Refill(long now)
        {
            long gained = (now - _refilledAtMs) / _intervalMs; // never negative: the clock never goes back
            _refilledAtMs += gained * _intervalMs;
            long tokens = _tokens + gained;
            _tokens = tokens > _texts.Length ? _texts.Length : (int)tokens;
        }

        private string FormatOldest(long now)
        {
            string text = _texts[_oldest];
            if (text.Length > MaxTextChars)
            {
                text = text.Substring(0, MaxTextChars) + "...";
            }

            long agoMs = now - _printedAtMs[_oldest];
            return agoMs >= 1000 ? AgoOpen + (agoMs / 1000).ToString() + AgoClose + text : text;
        }

        private string FormatDropped()
        {
            return DroppedOpen + _dropped.ToString() + DroppedClose + _texts.Length.ToString() + DroppedChars + _maxChars.ToString() + DroppedRate
                   + (1000 / _intervalMs).ToString() + DroppedTail;
        }
    }
}
