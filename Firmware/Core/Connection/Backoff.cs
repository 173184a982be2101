using System;

namespace IotyDevice.Core
{
    /// <summary>Exponential backoff with wide jitter: the n-th retry waits between a tenth and all of
    /// min(cap, base * 2^n). The jitter keeps a classroom of boards that lost the broker together from
    /// reconnecting in lockstep: drawn from the whole window rather than its upper half ("equal jitter"), the
    /// first retries of 100 boards fall into nine 100 ms bins instead of five (BENCHMARKS.md, reconnect storm);
    /// the tenth keeps a board from retrying at once.</summary>
    public class Backoff
    {
        private readonly int _baseMs;
        private readonly int _capMs;
        private readonly Random _random;
        private int _attempt;

        public Backoff(int baseMs, int capMs, Random random)
        {
            _baseMs = baseMs;
            _capMs = capMs;
            _random = random;
        }

        /// <summary>The delay before the next try; each call counts one more failure.</summary>
        public int NextDelayMs()
        {
            int ceiling = _baseMs;
            for (int i = 0; i < _attempt && ceiling < _capMs; i++)
            {
                ceiling *= 2;
            }

            if (ceiling > _capMs)
            {
                ceiling = _capMs;
            }

            _attempt++;
            int floor = ceiling / 10;
            return floor + _random.Next(ceiling - floor + 1);
        }

        public void Reset()
        {
            _attempt = 0;
        }
    }
}
