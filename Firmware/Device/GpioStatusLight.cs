using System;
using System.Device.Gpio;
using IotyDevice.Core;

namespace IotyDevice.Firmware
{
    /// <summary>The status LED (GPIO2 on most ESP32 DevKits): opens the pin the core names as an output on first use
    /// and writes the level. The pattern is the core's (StatusLight).</summary>
    internal sealed class GpioStatusLight : IStatusLight
    {
        private readonly GpioController _controller = new GpioController();
        private GpioPin _pin;
        private int _pinNumber = -1;
        private bool _failed;

        public void Set(int pin, bool on)
        {
            try
            {
                if (pin != _pinNumber)
                {
                    if (_pin != null)
                    {
                        _controller.ClosePin(_pinNumber);
                        _pin = null;
                    }

                    _pinNumber = pin;
                    _failed = false;
                    _pin = _controller.OpenPin(pin, PinMode.Output);
                }

                if (!_failed)
                {
                    _pin.Write(on ? PinValue.High : PinValue.Low);
                }
            }
            catch (Exception)
            {
                // A pin that cannot drive an output (validation names the usable ones) stays dark; a light is
                // never a reason to disturb the loop.
                _failed = true;
            }
        }
    }
}
