namespace IotyDevice.Core
{
    /// <summary>A bounded queue of received messages between the MQTT library's threads (which only put) and the
    /// main loop (which takes). Bounded twice: at most <see cref="Capacity"/> messages and at most
    /// a byte bound of topic and payload (an empty inbox still takes one message of any size the
    /// broker may send, <see cref="MqttLimits.MaxPacketBytes"/>). Slots are allocated once, so taking allocates nothing.
    /// A put never waits: on the board the library has already sent the PUBACK of a QoS 1 message before the core
    /// sees it, and a waiting put would only hold the library's dispatch thread while its unbounded event queue grows.
    /// So when full, room is made at once: the oldest QoS 0 messages go first (MQTT lets QoS 0 be lost, and for an
    /// App Builder switch the newest state matters most); a QoS 0 arrival meeting only QoS 1/2 messages is itself
    /// dropped; a QoS 1/2 arrival pushes out the oldest message of any kind. Every drop is counted, QoS 1/2 apart.
    /// A message bigger than the packet limit the board asked the broker for is dropped and reported: holding it
    /// would break the memory budget, and a broker that sends it ignores MQTT 5's Maximum Packet Size.</summary>
    public class Inbox
    {
        private readonly object _sync = new object();
        private readonly int _maxBytes;
        private readonly string[] _topics;
        private readonly byte[][] _payloads;
        private readonly bool[] _mustKeep;
        private int _head;
        private int _count;
        private int _bytes;
        private int _dropped;
        private int _droppedKept;
        private bool _oversizedUnsaid;
        private int _oversizedBytes;
        private string _oversizedTopic;

        public Inbox(int capacity, int maxBytes)
        {
            _maxBytes = maxBytes;
            _topics = new string[capacity];
            _payloads = new byte[capacity][];
            _mustKeep = new bool[capacity];
        }

        public int Capacity { get { return _topics.Length; } }

        public int Count
        {
            get { lock (_sync) { return _count; } }
        }

        /// <summary>Topic and payload bytes waiting.</summary>
        public int Bytes
        {
            get { lock (_sync) { return _bytes; } }
        }

        /// <summary>Messages dropped because the inbox was full, since start (too big ones have their own line).</summary>
        public int Dropped
        {
            get { lock (_sync) { return _dropped; } }
        }

        /// <summary>Of <see cref="Dropped"/>, the QoS 1/2 ones (acknowledged to the broker, so gone for good).</summary>
        public int DroppedKept
        {
            get { lock (_sync) { return _droppedKept; } }
        }

        /// <summary>Called on the MQTT library's thread; never waits, never throws. <paramref name="mustKeep"/>: QoS 1 or 2.</summary>
        public void Put(string topic, byte[] payload, bool mustKeep)
        {
            int size = SizeOf(topic, payload);
            lock (_sync)
            {
                if (size > MqttLimits.MaxPacketBytes)
                {
                    _oversizedUnsaid = true;
                    _oversizedBytes = size;
                    _oversizedTopic = topic;
                    return; // said by its own line, not counted as a message that came too fast
                }

                while (_count > 0 && (_count == _topics.Length || _bytes + size > _maxBytes))
                {
                    int victim = OldestDroppable();
                    if (victim < 0 && !mustKeep)
                    {
                        // Only promised messages are waiting: this QoS 0 one is the one to lose.
                        Drop(false);
                        return;
                    }

                    RemoveAt(victim < 0 ? 0 : victim);
                }

                int tail = (_head + _count) % _topics.Length;
                _topics[tail] = topic;
                _payloads[tail] = payload;
                _mustKeep[tail] = mustKeep;
                _bytes += size;
                _count++;
            }
        }

        /// <summary>Takes the oldest message; false when empty.</summary>
        public bool TryTake(out string topic, out byte[] payload)
        {
            lock (_sync)
            {
                if (_count == 0)
                {
                    topic = null;
                    payload = null;
                    return false;
                }

                topic = _topics[_head];
                payload = _payloads[_head];
                _bytes -= SizeOf(topic, payload);
                _topics[_head] = null;
                _payloads[_head] = null; // not kept alive by the slot; its flag is rewritten by the next Put
                _head = (_head + 1) % _topics.Length;
                _count--;
                return true;
            }
        }

        /// <summary>The monitor line for the drops so far.</summary>
        public string DropLine()
        {
            int dropped;
            int kept;
            lock (_sync)
            {
                dropped = _dropped;
                kept = _droppedKept;
            }

            return "Inbox: " + dropped.ToString() + " messages dropped so far (" + kept.ToString()
                   + " of them QoS 1; they arrive faster than they print: the board keeps at most " + Capacity.ToString()
                   + " messages or " + _maxBytes.ToString() + " bytes, and the oldest QoS 0 ones go first)";
        }

        /// <summary>After a message bigger than the board's packet limit (the latest, when several came between two
        /// calls): what happened; else null.</summary>
        public string TakeOversizedLine()
        {
            lock (_sync)
            {
                if (!_oversizedUnsaid)
                {
                    return null;
                }

                _oversizedUnsaid = false;
                return "MQTT: a message of " + _oversizedBytes.ToString() + " bytes on " + _oversizedTopic
                       + " was dropped: the board asks the broker for at most " + MqttLimits.MaxPacketBytes.ToString()
                       + " bytes a message (MQTT 5 Maximum Packet Size) and this broker sent more anyway; a bigger one can run the board out of memory";
            }
        }

        private static int SizeOf(string topic, byte[] payload)
        {
            return (topic == null ? 0 : topic.Length) + (payload == null ? 0 : payload.Length);
        }

        private void Drop(bool mustKeep)
        {
            _dropped++;
            if (mustKeep)
            {
                _droppedKept++;
            }
        }

        private int OldestDroppable()
        {
            for (int i = 0; i < _count; i++)
            {
                if (!_mustKeep[(_head + i) % _topics.Length])
                {
                    return i;
                }
            }

            return -1;
        }

        /// <summary>Drops the message <paramref name="offset"/> places after the oldest, closing the gap.</summary>
        private void RemoveAt(int offset)
        {
            int n = _topics.Length;
            int at = (_head + offset) % n;
            _bytes -= SizeOf(_topics[at], _payloads[at]);
            Drop(_mustKeep[at]);
            for (int i = offset; i < _count - 1; i++)
            {
                int to = (_head + i) % n;
                int from = (_head + i + 1) % n;
                _topics[to] = _topics[from];
                _payloads[to] = _payloads[from];
                _mustKeep[to] = _mustKeep[from];
            }

            int last = (_head + _count - 1) % n;
            _topics[last] = null;
            _payloads[last] = null;
            _count--;
        }
    }
}
