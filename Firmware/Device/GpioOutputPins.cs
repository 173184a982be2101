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
        private readonly ArrayList _open = new ArrayList(); // GpioPin, a few at most

        public void Write(int pin, bool high)
        {
            Find(pin).Write(high ? PinValue.High : PinValue.Low);
        }

        private GpioPin Find(int pin)
        {
            for (int i = 0; i < _open.Count; i++)
            {
                GpioPin open = (GpioPin)_open[i];
                if (open.PinNumber == pin)
                {
                    return open;
                }
            }

            GpioPin opened;
            try
            {
                opened = _controller.OpenPin(pin, PinMode.Output);
            }
            catch (Exception)
            {
                // OpenPin says no more than InvalidOperationException (already open, or not a pin of this chip); the
                // core has already ruled out the pins the chip cannot drive and the device's own.
                throw new InvalidOperationException("GPIO " + pin.ToString() + " could not be opened as an output");
            }

            _open.Add(opened);
            return opened;
        }
    }
}
