namespace IotyDevice.Core
{
    /// <summary>Acknowledgements (PUBACK, SUBACK) handed from the MQTT library's threads to the main loop. The loop
    /// matches them with the message ids the transport returned; because it only looks after its own call has
    /// returned, an ack that overtakes the return of <c>Publish</c>/<c>Subscribe</c> is still matched. Bounded: when
    /// the loop falls far behind, the oldest ack is dropped (for a publish that means one needless resend, never a
    /// loss).</summary>
    public class AckQueue
    {
        private readonly object _sync = new object();
        private readonly int[] _connection;
        private readonly int[] _messageId;
        private readonly int[] _code;
        private int _head;
        private int _count;

        public AckQueue(int capacity)
        {
            _connection = new int[capacity];
            _messageId = new int[capacity];
            _code = new int[capacity];
        }

        /// <summary>Called on the library's thread.</summary>
        public void Put(int connection, int messageId, int code)
        {
            lock (_sync)
            {
                int slot = (_head + _count) % _code.Length;
                if (_count == _code.Length)
                {
                    _head = (_head + 1) % _code.Length;
                }
                else
                {
                    _count++;
                }

                _connection[slot] = connection;
                _messageId[slot] = messageId;
                _code[slot] = code;
            }
        }

        /// <summary>Called on the main loop; false when empty.</summary>
        public bool TryTake(out int connection, out int messageId, out int code)
        {
            lock (_sync)
            {
                if (_count == 0)
                {
                    connection = 0;
                    messageId = 0;
                    code = 0;
                    return false;
                }

                connection = _connection[_head];
                messageId = _messageId[_head];
                code = _code[_head];
                _head = (_head + 1) % _code.Length;
                _count--;
                return true;
            }
        }
    }
}
