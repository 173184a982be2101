using System.Device.Gpio;
using IotyDevice.Core;

namespace IotyDevice.Firmware
{
    /// <summary>The BOOT button: GPIO0 on ESP32 DevKit boards, pulled up, low while pressed. Only the raw level;
    /// debouncing and press detection are the core's (BootButton).</summary>
    internal sealed class GpioBootButton : IButtonInput
    {
        // Kept so the controller and pin live as long as the button does.
        private readonly GpioController _controller;
        private readonly GpioPin _pin;
        private readonly Wakeup _wakeup;

        public GpioBootButton(int pinNumber, Wakeup wakeup)
        {
            _wakeup = wakeup;
            _controller = new GpioController();
            // The board has its own pull-up on GPIO0; the internal one keeps bare modules defined too.
            _pin = _controller.OpenPin(pinNumber, PinMode.InputPullUp);
            _pin.ValueChanged += OnValueChanged;
        }

        public bool IsDown { get { return _pin.Read() == PinValue.Low; } }

        private void OnValueChanged(object sender, PinValueChangedEventArgs e)
        {
            // Runs on nanoFramework's event thread: only wake the main loop, which samples IsDown and
            // debounces, so a press is seen at once instead of on the next idle tick.
            _wakeup.Set();
        }
    }
}
