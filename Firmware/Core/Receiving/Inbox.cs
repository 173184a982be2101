using System.Threading;

namespace IotyDevice.Core
{
    /// <summary>A bounded queue of received messages between the MQTT library's threads (which only put) and the
    /// main loop (which takes). Slots are allocated once, so taking a message allocates nothing.
    /// When full, a QoS 0 message pushes out the oldest QoS 0 message (MQTT lets QoS 0 be lost, and for an App
    /// Builder switch the newest state matters most), or is itself dropped if only QoS 1/2 messages are waiting.
    /// A QoS 1 or 2 message was promised by the broker, e.g. the backlog kept for a persistent session: its put
    /// waits for room instead, which holds the library's dispatch thread (M2Mqtt has already acknowledged it and
    /// keeps the rest in its own unbounded queue; the host transport does the same). Only if the loop takes nothing for
    /// <c>keepWaitMs</c> is the oldest message dropped, so no thread is stuck for good. Every drop is counted.</summary>
    public class Inbox
    {
        private const int WaitSliceMs = 50;

        private readonly object _sync = new object();
        private readonly AutoResetEvent _roomMade = new AutoResetEvent(false);
        private readonly int _keepWaitMs;
        private readonly string[] _topics;
        private readonly byte[][] _payloads;
        private readonly bool[] _mustKeep;
        private int _head;
        private int _count;
        private int _dropped;

        public Inbox(int capacity, int keepWaitMs)
        {
            _keepWaitMs = keepWaitMs;
            _topics = new string[capacity];
            _payloads = new byte[capacity][];
            _mustKeep = new bool[capacity];
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

        /// <summary>Called on the MQTT library's thread; never throws. With <paramref name="mustKeep"/> (QoS 1 or 2)
        /// it waits while the inbox is full, at most the keep-wait time.</summary>
        public void Put(string topic, byte[] payload, bool mustKeep)
        {
            int waitedMs = 0;
            while (true)
            {
                lock (_sync)
                {
                    if (_count < _topics.Length || TryMakeRoom(mustKeep, waitedMs >= _keepWaitMs))
                    {
                        int tail = (_head + _count) % _topics.Length;
                        _topics[tail] = topic;
                        _payloads[tail] = payload;
                        _mustKeep[tail] = mustKeep;
                        _count++;
                        return;
                    }

                    if (!mustKeep)
                    {
                        // Only promised messages are waiting: this QoS 0 one is the one to lose.
                        _dropped++;
                        return;
                    }
                }

                _roomMade.WaitOne(WaitSliceMs, false);
                waitedMs += WaitSliceMs;
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
                _mustKeep[_head] = false;
                _head = (_head + 1) % _topics.Length;
                _count--;
                _roomMade.Set();
                return true;
            }
        }

        // Under the lock, inbox full. A QoS 0 arrival may push out the oldest QoS 0 message; a QoS 1/2 arrival
        // only once it has waited long enough, and then the oldest message of any kind goes.
        private bool TryMakeRoom(bool mustKeep, bool waitedEnough)
        {
            if (mustKeep && !waitedEnough)
            {
                return false;
            }

            int victim = waitedEnough ? 0 : OldestDroppable();
            if (victim < 0)
            {
                return false;
            }

            RemoveAt(victim);
            _dropped++;
            return true;
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

        /// <summary>Removes the message <paramref name="offset"/> places after the oldest, closing the gap.</summary>
        private void RemoveAt(int offset)
        {
            int n = _topics.Length;
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
            _mustKeep[last] = false;
            _count--;
        }
    }
}
