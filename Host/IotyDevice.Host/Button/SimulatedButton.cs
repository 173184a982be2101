using IotyDevice.Core;
using IotyDevice.Host.Clock;

namespace IotyDevice.Host.Button
{
    /// <summary>The BOOT button for a PC. Like the GPIO adapter, it latches every level change with the time it
    /// happened (the core replays them through its debounce, so a press made while the loop blocks in a connect
    /// still counts), and Press/Release also Set() the core's Wakeup, as the GPIO interrupt does on the device.</summary>
    public sealed class SimulatedButton : IButtonInput
    {
        private readonly Wakeup _wakeup;
        private readonly SystemClock _clock = new SystemClock(); // the same time base as the core's SystemClock
        private readonly ButtonChanges _changes = new ButtonChanges(32);
        private readonly object _gate = new object();
        private bool _isDown;

        public SimulatedButton(Wakeup wakeup)
        {
            _wakeup = wakeup;
        }

        public bool IsDown { get { lock (_gate) return _isDown; } }

        public int TakeChanges(long[] atMs, bool[] down) { return _changes.Take(atMs, down); }

        public void Press() { Set(true); }

        public void Release() { Set(false); }

        private void Set(bool down)
        {
            lock (_gate)
            {
                if (_isDown == down) return;
                _isDown = down;
                _changes.Record(down, _clock.NowMs);
            }
            if (_wakeup != null) _wakeup.Set();
        }
    }
}
