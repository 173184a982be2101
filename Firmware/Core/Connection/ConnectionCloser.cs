using System.Threading;

namespace IotyDevice.Core
{
    /// <summary>Closes the MQTT connection on purpose without throwing away what the board has already
    /// acknowledged. M2Mqtt sends a QoS 1 PUBACK before it hands the message over, keeps the rest in its own
    /// queue, and its Close() clears that queue; the broker will never send those messages again. So a close of a
    /// connection the library still thinks is open (the WiFi went before the library noticed, or the device
    /// stops) waits until messages have stopped arriving for a moment, while the loop keeps printing them, and at
    /// most a bounded time. A close the bound cut short while messages were still arriving is counted and said:
    /// what the library still held is lost, and on MQTT 3.1.1 nothing can tell how many.</summary>
    public class ConnectionCloser
    {
        private readonly IMqttTransport _mqtt;
        private readonly IMonitor _monitor;
        private readonly int _quietMs;
        private readonly int _limitMs;
        private int _arrivals; // counted on the library's thread
        private bool _pending;
        private long _startedMs;
        private long _lastArrivalMs;
        private int _seenArrivals;
        private int _cutShort;

        public ConnectionCloser(IMqttTransport mqtt, IMonitor monitor, int quietMs, int limitMs)
        {
            _mqtt = mqtt;
            _monitor = monitor;
            _quietMs = quietMs;
            _limitMs = limitMs;
        }

        /// <summary>True while an orderly close waits for the library to hand over what it holds.</summary>
        public bool IsPending { get { return _pending; } }

        /// <summary>Called on the library's thread after each message it handed over.</summary>
        public void CountArrival()
        {
            Interlocked.Increment(ref _arrivals);
        }

        /// <summary>Starts an orderly close: the connection stays open until <see cref="Poll"/> closes it.</summary>
        public void CloseWhenQuiet(long now)
        {
            if (_pending)
            {
                return;
            }

            _pending = true;
            _startedMs = now;
            _lastArrivalMs = now;
            _seenArrivals = Interlocked.CompareExchange(ref _arrivals, 0, 0);
        }

        /// <summary>Closes at once: nothing waits in the library (the connection never opened, or the library
        /// closed it itself, which it does only after handing over everything it held).</summary>
        public void CloseNow()
        {
            _pending = false;
            try
            {
                _mqtt.Close();
            }
            catch (System.Exception)
            {
                // Close is best effort by contract; the next Connect starts afresh.
            }
        }

        /// <summary>Finishes a pending close once quiet or at the limit. True when no close is pending any more.</summary>
        public bool Poll(long now)
        {
            if (!_pending)
            {
                return true;
            }

            int arrivals = Interlocked.CompareExchange(ref _arrivals, 0, 0);
            if (arrivals != _seenArrivals)
            {
                _seenArrivals = arrivals;
                _lastArrivalMs = now;
            }

            bool quiet = now - _lastArrivalMs >= _quietMs;
            if (!quiet && now - _startedMs < _limitMs)
            {
                return false;
            }

            CloseNow();
            if (!quiet)
            {
                _cutShort++;
                _monitor.WriteLine("MQTT: closed while messages were still arriving (" + _cutShort.ToString()
                    + " time(s) so far); the board had already acknowledged them, so any not printed yet are lost");
            }

            return true;
        }

        /// <summary>How long the loop may sleep before the pending close must be checked again.</summary>
        public long MsUntilDue(long now)
        {
            long quietAt = _lastArrivalMs + _quietMs;
            long limitAt = _startedMs + _limitMs;
            return (quietAt < limitAt ? quietAt : limitAt) - now;
        }
    }
}
