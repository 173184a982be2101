using System;
using System.Device.Gpio;
using IotyDevice.Core;

namespace IotyDevice.Firmware
{
    /// <summary>The BOOT button: GPIO0 on ESP32 DevKit boards, pulled up, low while pressed. Latches every level
    /// change with its time; debouncing and press detection are the core's (BootButton.Feed), which replays them,
    /// so a press made and released while the loop blocks in a WiFi join or a TLS connect still counts.</summary>
    internal sealed class GpioBootButton : IButtonInput
    {
        // Kept so the controller and pin live as long as the button does.
        private readonly GpioController _controller;
        private readonly GpioPin _pin;
        private readonly Wakeup _wakeup;
        private readonly ButtonChanges _changes = new ButtonChanges(32);

        public GpioBootButton(int pinNumber, Wakeup wakeup)
        {
            _wakeup = wakeup;
            _controller = new GpioController();
            // The board has its own pull-up on GPIO0; the internal one keeps bare modules defined too.
            _pin = _controller.OpenPin(pinNumber, PinMode.InputPullUp);
            _pin.ValueChanged += OnValueChanged;
        }

        public bool IsDown { get { return _pin.Read() == PinValue.Low; } }

        public int TakeChanges(long[] atMs, bool[] down)
        {
            return _changes.Take(atMs, down);
        }

        private void OnValueChanged(object sender, PinValueChangedEventArgs e)
        {
            // Runs on nanoFramework's event thread, also while the main loop blocks. Stamped with the clock the core
            // uses (DeviceClock: Environment.TickCount64). Falling is the press (active low).
            _changes.Record(e.ChangeType == PinEventTypes.Falling, Environment.TickCount64);
            _wakeup.Set();
        }
    }
}
