using System;
using System.Collections.Generic;
using IotyDevice.Core;

namespace IotyDevice.Host.Pins
{
    /// <summary>Output pins for a PC: each change of level is shown as a line (the lamp you would see on the board).
    /// Writing the level a pin already has shows nothing, as an LED that stays lit.</summary>
    public sealed class SimulatedPins : IOutputPins
    {
        private readonly Action<string> _show;
        private readonly Dictionary<int, bool> _levels = new Dictionary<int, bool>();
        private readonly object _gate = new object();

        public SimulatedPins(Action<string> show)
        {
            _show = show;
        }

        /// <summary>The level last written to <paramref name="pin"/>, or null if it was never written.</summary>
        public bool? Level(int pin)
        {
            lock (_gate) return _levels.TryGetValue(pin, out bool high) ? high : null;
        }

        public void Write(int pin, bool high)
        {
            lock (_gate)
            {
                if (_levels.TryGetValue(pin, out bool was) && was == high) return;
                _levels[pin] = high;
            }
            _show("GPIO " + pin + ": " + (high ? "on (high)" : "off (low)"));
        }
    }
}
