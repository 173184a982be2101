using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using IotyDevice.Core;

namespace IotyDevice.Host.Light
{
    /// <summary>The status LED on the PC: keeps the last level changes (with the core's clock) instead of printing
    /// a line per blink, and describes them when asked (the simulator's `light` command).</summary>
    public sealed class SimulatedStatusLight : IStatusLight
    {
        private const int SteadyAfterMs = 1500;
        private readonly IClock _clock;
        private readonly object _gate = new object();
        private readonly Queue<(long AtMs, bool On)> _changes = new Queue<(long, bool)>();
        private int _pin = -1;

        public SimulatedStatusLight(IClock clock)
        {
            _clock = clock;
        }

        public void Set(int pin, bool on)
        {
            lock (_gate)
            {
                if (pin != _pin) _changes.Clear();
                _pin = pin;
                _changes.Enqueue((_clock.NowMs, on));
                while (_changes.Count > 9) _changes.Dequeue();
            }
        }

        /// <summary>E.g. "GPIO2: on (steady for 3.1 s)" or "GPIO2: blinking: on 100 ms, off 100 ms, on 100 ms, off 650 ms".</summary>
        public string Describe()
        {
            lock (_gate)
            {
                if (_changes.Count == 0) return "no status light (StatusLedPin -1, or the device has not started)";
                long now = _clock.NowMs;
                var changes = _changes.ToArray();
                var last = changes[^1];
                string where = "GPIO" + _pin.ToString(CultureInfo.InvariantCulture) + ": ";
                if (now - last.AtMs >= SteadyAfterMs || changes.Length < 3)
                    return where + (last.On ? "on" : "off") + " (steady for " + ((now - last.AtMs) / 1000.0).ToString("0.0", CultureInfo.InvariantCulture) + " s)";
                var segments = new List<string>();
                for (int i = 1; i < changes.Length; i++)
                    segments.Add((changes[i - 1].On ? "on " : "off ") + (changes[i].AtMs - changes[i - 1].AtMs).ToString(CultureInfo.InvariantCulture) + " ms");
                return where + "blinking: " + string.Join(", ", segments.Skip(System.Math.Max(0, segments.Count - 4)));
            }
        }
    }
}
