using System;
using System.Collections;
using System.Device.Gpio;
using IotyDevice.Core;

namespace IotyDevice.Firmware
{
    /// <summary>The lesson's output pins: each GPIO is opened as an output the first time the lesson writes it.</summary>
    internal sealed class GpioOutputPins : IOutputPins
    {
        private readonly GpioController _controller = new GpioController();
        private readonly Hashtable _open = new Hashtable(); // GPIO number -> GpioPin

        public void Write(int pin, bool high)
        {
            GpioPin gpio = (GpioPin)_open[pin];
            if (gpio == null)
            {
                try
                {
                    gpio = _controller.OpenPin(pin, PinMode.Output);
                }
                catch (Exception)
                {
                    // OpenPin says only InvalidOperationException (already open, or not a pin of this chip).
                    throw new InvalidOperationException("GPIO " + pin.ToString()
                        + " cannot be an output here (on an ESP32, 0 is BOOT, 6-11 belong to the flash, 34-39 are inputs only)");
                }

                _open[pin] = gpio;
            }

            gpio.Write(high ? PinValue.High : PinValue.Low);
        }
    }
}
