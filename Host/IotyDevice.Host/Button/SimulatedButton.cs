using IotyDevice.Core;

namespace IotyDevice.Host.Button
{
    /// <summary>The BOOT button for a PC. The core polls IsDown and debounces; Press/Release also Set() the
    /// core's Wakeup, as the GPIO interrupt does on the device, so the loop looks at the level at once
    /// instead of at its next timed pass.</summary>
    public sealed class SimulatedButton : IButtonInput
    {
        private readonly Wakeup _wakeup;
        private volatile bool _isDown;

        public SimulatedButton(Wakeup wakeup)
        {
            _wakeup = wakeup;
        }

        public bool IsDown { get { return _isDown; } }

        public void Press()
        {
            _isDown = true;
            if (_wakeup != null) _wakeup.Set();
        }

        public void Release()
        {
            _isDown = false;
            if (_wakeup != null) _wakeup.Set();
        }
    }
}
