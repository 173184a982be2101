using System;
using System.Diagnostics;
using System.Threading;

namespace IotyDevice.Host
{
    /// <summary>Something that changes (monitor lines, peer messages, broker log lines) pulses its Signal; waits
    /// re-check their condition on each pulse, so they end as soon as it holds and never sleep-poll blindly.</summary>
    public sealed class Signal
    {
        private readonly object _gate = new object();
        private long _version;

        public void Pulse()
        {
            lock (_gate)
            {
                _version++;
                System.Threading.Monitor.PulseAll(_gate);
            }
        }

        /// <summary>Waits until <paramref name="condition"/> holds or the timeout passes; true if it holds.</summary>
        public bool WaitUntil(Func<bool> condition, TimeSpan timeout)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                long seen;
                lock (_gate) seen = _version;
                if (condition()) return true;
                TimeSpan left = timeout - clock.Elapsed;
                if (left <= TimeSpan.Zero) return false;
                lock (_gate)
                {
                    // The slice bounds a missed pulse from a condition that also depends on other state.
                    if (_version == seen) System.Threading.Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(200) ? left : TimeSpan.FromMilliseconds(200));
                }
            }
        }
    }
}
