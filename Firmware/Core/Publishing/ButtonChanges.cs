namespace IotyDevice.Core
{
    /// <summary>A small ring of stamped BOOT level changes, written by the button adapter's event thread (GPIO
    /// interrupt) and taken by the main loop. When the loop has been blind for long enough that the ring fills
    /// (a bouncing contact gives several changes per press), the oldest changes are overwritten: the newest ones
    /// decide the level the loop continues from.</summary>
    public class ButtonChanges
    {
        private readonly object _sync = new object();
        private readonly long[] _atMs;
        private readonly bool[] _down;
        private int _head;
        private int _count;

        public ButtonChanges(int capacity)
        {
            _atMs = new long[capacity];
            _down = new bool[capacity];
        }

        /// <summary>Called on the adapter's event thread; never blocks for long, never throws.</summary>
        public void Record(bool down, long atMs)
        {
            lock (_sync)
            {
                int slot = (_head + _count) % _atMs.Length;
                if (_count == _atMs.Length)
                {
                    _head = (_head + 1) % _atMs.Length; // full: the oldest change goes
                }
                else
                {
                    _count++;
                }

                _atMs[slot] = atMs;
                _down[slot] = down;
            }
        }

        /// <summary>See <see cref="IButtonInput.TakeChanges"/>; takes at most the arrays' length.</summary>
        public int Take(long[] atMs, bool[] down)
        {
            lock (_sync)
            {
                int n = 0;
                while (_count > 0 && n < atMs.Length && n < down.Length)
                {
                    atMs[n] = _atMs[_head];
                    down[n] = _down[_head];
                    _head = (_head + 1) % _atMs.Length;
                    _count--;
                    n++;
                }

                return n;
            }
        }
    }
}
