using System;
using System.Device.Gpio;
using IotyDevice.Core;

namespace IotyDevice.Firmware
{
    /// <summary>The BOOT button on the GPIO the settings name (BootButtonPin: GPIO0 on ESP32 DevKits, GPIO9 on
    /// ESP32-C3 boards), pulled up, low while pressed. The pin debounces natively (DebounceTimeout: a driver timer
    /// that keeps running while the TLS handshake holds the interpreter), so each change it reports is a settled one;
    /// the adapter latches them for the core (BootButton.Feed), which replays them, so a press made and released
    /// while the loop blocks in a WiFi join or a TLS connect still counts.</summary>
    /// <remarks>
    /// The handler runs when the interpreter gets to it, not when the edge happened: during the handshake both
    /// edges of a press wait and arrive together, and GpioPinEventListener drops the native time stamp
    /// (nanoframework/System.Device.Gpio : GpioPinEventListener.cs). Stamped on arrival they would look like a
    /// 0 ms bounce to the core. The native debounce (nf-interpreter targets/ESP32/_nanoCLR/System.Device.Gpio/
    /// cpu_gpio.cpp: gpio_isr, Esp_Gpio_DebounceHandler) reports a change only after the level has held for the
    /// debounce time and ignores the pin meanwhile, so two reported changes were at least that far apart: each is
    /// stamped no earlier than the previous one plus the debounce time, and each reported press counts.
    /// </remarks>
    internal sealed class GpioBootButton : IButtonInput
    {
        // Kept so the controller and pin live as long as the button does.
        private readonly GpioController _controller = new GpioController();
        private readonly Wakeup _wakeup;
        private readonly ButtonChanges _changes = new ButtonChanges(32);
        private readonly int _debounceMs;
        private GpioPin _pin;
        private long _lastStampMs;

        /// <param name="debounceMs">The core's debounce time (DeviceOptions.DebounceMs), used natively too.</param>
        public GpioBootButton(Wakeup wakeup, int debounceMs)
        {
            _wakeup = wakeup;
            _debounceMs = debounceMs;
        }

        public void Open(int pinNumber)
        {
            if (_pin != null)
            {
                _pin.ValueChanged -= OnValueChanged;
                _controller.ClosePin(_pin.PinNumber);
                _pin = null;
            }

            // Boards pull BOOT up themselves; the internal pull-up keeps bare modules and other pins defined too.
            _pin = _controller.OpenPin(pinNumber, PinMode.InputPullUp);
            _pin.DebounceTimeout = TimeSpan.FromMilliseconds(_debounceMs);
            _pin.ValueChanged += OnValueChanged;
        }

        public bool IsDown { get { return _pin != null && _pin.Read() == PinValue.Low; } }

        public int TakeChanges(long[] atMs, bool[] down)
        {
            return _changes.Take(atMs, down);
        }

        private void OnValueChanged(object sender, PinValueChangedEventArgs e)
        {
            // Runs on nanoFramework's event thread, also while the main loop blocks. Stamped with the clock the core
            // uses (DeviceClock: Environment.TickCount64), spaced as the native debounce spaced the changes (see
            // above). Falling is the press (active low).
            long atMs = Environment.TickCount64;
            if (atMs - _lastStampMs < _debounceMs)
            {
                atMs = _lastStampMs + _debounceMs;
            }

            _lastStampMs = atMs;
            _changes.Record(e.ChangeType == PinEventTypes.Falling, atMs);
            _wakeup.Set();
        }
    }
}
