namespace IotyDevice.Core
{
    /// <summary>A bounded queue of received messages between the MQTT library's threads (which only put) and the
    /// main loop (which takes). When full it drops the oldest message: for an App Builder switch the newest state
    /// matters most. Slots are allocated once, so taking a message allocates nothing.</summary>
    public class Inbox
    {
        private readonly object _sync = new object();
        private readonly string[] _topics;
        private readonly byte[][] _payloads;
        private int _head;
        private int _count;
        private int _dropped;

        public Inbox(int capacity)
        {
            _topics = new string[capacity];
            _payloads = new byte[capacity][];
        }

        public int Capacity { get { return _topics.Length; } }

        public int Count
        {
            get { lock (_sync) { return _count; } }
        }

        /// <summary>Messages dropped because the inbox was full, since start.</summary>
        public int Dropped
        {
            get { lock (_sync) { return _dropped; } }
        }

        /// <summary>Called on the MQTT library's thread. Never blocks beyond the lock and never throws.</summary>
        public void Put(string topic, byte[] payload)
        {
            lock (_sync)
            {
                if (_count == _topics.Length)
                {
                    _head = (_head + 1) % _topics.Length;
                    _count--;
                    _dropped++;
                }

                int tail = (_head + _count) % _topics.Length;
                _topics[tail] = topic;
                _payloads[tail] = payload;
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
                _topics[_head] = null;
                _payloads[_head] = null;
                _head = (_head + 1) % _topics.Length;
                _count--;
                return true;
            }
        }
    }
}
