using System.Collections.Generic;
using Board.Models;

// Models of nanoframework/System.Device.Gpio v1.1.62 (System.Device.Gpio/*.cs) and of the ESP32 native pin code,
// nanoframework/nf-interpreter : targets/ESP32/_nanoCLR/System.Device.Gpio/cpu_gpio.cpp.
namespace System.Device.Gpio
{
    /// <summary>PinMode.cs (lines 10-50).</summary>
    public enum PinMode
    {
        Input,
        InputPullDown,
        InputPullUp,
        Output,
        OutputOpenDrain,
        OutputOpenDrainPullUp,
        OutputOpenSource,
        OutputOpenSourcePullDown,
    }

    /// <summary>PinEventTypes.cs (lines 12-27).</summary>
    [Flags]
    public enum PinEventTypes
    {
        None = 0,
        Rising = 1,
        Falling = 2,
    }

    /// <summary>PinValue.cs (lines 10-91): a struct with High/Low and conversions.</summary>
    public readonly struct PinValue : IEquatable<PinValue>
    {
        private readonly byte _value;

        private PinValue(byte value)
        {
            _value = value;
        }

        public static PinValue High => new PinValue(1);

        public static PinValue Low => new PinValue(0);

        public static implicit operator PinValue(int value) => value == 0 ? Low : High;

        public static implicit operator PinValue(bool value) => value ? High : Low;

        public static explicit operator byte(PinValue value) => value._value;

        public static explicit operator int(PinValue value) => value._value;

        public static explicit operator bool(PinValue value) => value._value != 0;

        public bool Equals(PinValue other) => other._value == _value;

        public override bool Equals(object obj) => obj is PinValue other && Equals(other);

        public static bool operator ==(PinValue a, PinValue b) => a.Equals(b);

        public static bool operator !=(PinValue a, PinValue b) => !a.Equals(b);

        public override int GetHashCode() => _value.GetHashCode();

        public override string ToString() => _value == 0 ? "Low" : "High";
    }

    /// <summary>PinValueChangedEventArgs.cs (lines 12-33). No time stamp: GpioPinEventListener.ProcessEvent
    /// (GpioPinEventListener.cs, lines 22-30) drops the native event's time.</summary>
    public class PinValueChangedEventArgs : EventArgs
    {
        public PinValueChangedEventArgs(PinEventTypes changeType, int pinNumber)
        {
            ChangeType = changeType;
            PinNumber = pinNumber;
        }

        public PinEventTypes ChangeType { get; }

        public int PinNumber { get; }
    }

    /// <summary>GpioPin.cs, line 12.</summary>
    public delegate void PinValueChangedEventHandler(object sender, PinValueChangedEventArgs pinValueChangedEventArgs);

    /// <summary>GpioController.cs: OpenPin (lines 79-95) makes a pin and sets its mode; a pin already open cannot be
    /// opened again (InternalOpenPin, lines 97-107, throws InvalidOperationException when the native Init fails);
    /// ClosePin (lines 116-134) disposes the pin and throws InvalidOperationException for a pin not open. The open
    /// pins are a static list shared by every controller.</summary>
    public sealed class GpioController : IDisposable
    {
        public GpioPin OpenPin(int pinNumber, PinMode mode)
        {
            if (BoardPins.IsOpen(pinNumber) || !BoardPins.Exists(pinNumber))
            {
                throw new InvalidOperationException();
            }

            GpioPin pin = new GpioPin(pinNumber);
            pin.SetPinMode(mode);
            BoardPins.Opened(pin);
            return pin;
        }

        public void ClosePin(int pinNumber)
        {
            GpioPin pin = BoardPins.Find(pinNumber);
            if (pin == null)
            {
                throw new InvalidOperationException();
            }

            pin.Dispose();
        }

        public void Dispose()
        {
        }
    }

    /// <summary>GpioPin.cs: DebounceTimeout (lines 63-76, the setter calls NativeSetDebounceTimeout), Read (line 151),
    /// Write (lines 162-171), ValueChanged (lines 177-229) raised by OnPinChangedInternal (lines 234-250) on the
    /// runtime's event thread.</summary>
    public sealed class GpioPin : IDisposable
    {
        private readonly int _pinNumber;
        private TimeSpan _debounceTimeout;
        private PinMode _mode;

        internal GpioPin(int pinNumber)
        {
            _pinNumber = pinNumber;
        }

        public event PinValueChangedEventHandler ValueChanged;

        public int PinNumber => _pinNumber;

        public TimeSpan DebounceTimeout
        {
            get => _debounceTimeout;
            set
            {
                _debounceTimeout = value;
                BoardPins.Native(_pinNumber).DebounceMs = (long)value.TotalMilliseconds;
            }
        }

        public PinMode GetPinMode() => _mode;

        public void SetPinMode(PinMode value)
        {
            _mode = value;
            BoardPins.Native(_pinNumber).Mode = value;
        }

        public PinValue Read() => BoardPins.Native(_pinNumber).Level ? PinValue.High : PinValue.Low;

        public void Write(PinValue value)
        {
            BoardPins.Native(_pinNumber).Drive((bool)value);
        }

        internal void OnPinChangedInternal(PinEventTypes edge)
        {
            ValueChanged?.Invoke(this, new PinValueChangedEventArgs(edge, _pinNumber));
        }

        public void Dispose()
        {
            BoardPins.Closed(this);
        }
    }
}

namespace Board.Models
{
    using System;
    using System.Device.Gpio;

    /// <summary>The ESP32's pins as the native code sees them, and the open managed pins.</summary>
    public static class BoardPins
    {
        private static readonly Dictionary<int, NativePin> Pins = new Dictionary<int, NativePin>();
        private static readonly List<GpioPin> Open = new List<GpioPin>();

        /// <summary>Writes to output pins, in order: (pin, high).</summary>
        public static readonly List<(int Pin, bool High)> Writes = new List<(int Pin, bool High)>();

        public static void Reset()
        {
            Pins.Clear();
            Open.Clear();
            Writes.Clear();
        }

        /// <summary>GPIO numbers of an ESP32 (0-39, without 20, 24, 28-31).</summary>
        public static bool Exists(int pin) => pin >= 0 && pin <= 39 && pin != 20 && pin != 24 && (pin < 28 || pin > 31);

        public static NativePin Native(int pin)
        {
            if (!Pins.TryGetValue(pin, out NativePin native))
            {
                native = new NativePin(pin);
                Pins[pin] = native;
            }

            return native;
        }

        internal static bool IsOpen(int pin) => Find(pin) != null;

        internal static GpioPin Find(int pin) => Open.Find(p => p.PinNumber == pin);

        internal static void Opened(GpioPin pin) => Open.Add(pin);

        internal static void Closed(GpioPin pin) => Open.Remove(pin);

        /// <summary>The button on <paramref name="pin"/> goes down at <paramref name="atMs"/> and up
        /// <paramref name="holdMs"/> later (active low, pulled up), with <paramref name="bounces"/> contact bounces
        /// 1 ms apart at each edge.</summary>
        public static void Press(int pin, long atMs, long holdMs, int bounces = 0)
        {
            NativePin native = Native(pin);
            Edge(native, atMs, false, bounces);
            Edge(native, atMs + holdMs, true, bounces);
        }

        private static void Edge(NativePin native, long atMs, bool high, int bounces)
        {
            for (int i = 0; i < bounces; i++)
            {
                bool level = i % 2 == 0 ? high : !high;
                BoardTime.AtNative(atMs + i, () => native.External(level));
            }

            BoardTime.AtNative(atMs + bounces, () => native.External(high));
        }

        /// <summary>One pin's native state: cpu_gpio.cpp's gpio_input_state.</summary>
        public sealed class NativePin
        {
            private readonly int _number;
            private bool _current = true;
            private bool _expected;
            private bool _waitingDebounce;

            internal NativePin(int number)
            {
                _number = number;
                Level = true; // pulled up
            }

            public bool Level { get; private set; }

            public long DebounceMs { get; set; }

            public PinMode Mode { get; set; }

            internal void Drive(bool high)
            {
                Level = high;
                Writes.Add((_number, high));
            }

            /// <summary>The level the outside world puts on the pin; the interrupt follows (cpu_gpio.cpp gpio_isr,
            /// lines 319-360).</summary>
            internal void External(bool high)
            {
                if (Level == high)
                {
                    return;
                }

                Level = high;
                if (_waitingDebounce)
                {
                    return; // lines 326-330: changes while the debounce timer runs are ignored
                }

                if (DebounceMs > 0)
                {
                    // lines 332-342: wait, then post the change only if the pin still shows the new level
                    _waitingDebounce = true;
                    _expected = !_current;
                    BoardTime.AtNative(BoardTime.NowMs + DebounceMs, DebounceTimerFired);
                }
                else if (Level != _current)
                {
                    // lines 350-357
                    _current = Level;
                    Post(_current);
                }
            }

            /// <summary>Esp_Gpio_DebounceHandler, cpu_gpio.cpp lines 142-167.</summary>
            private void DebounceTimerFired()
            {
                if (Level == _expected)
                {
                    _current = Level;
                    Post(_current);
                    _expected = !_expected;
                }

                _waitingDebounce = false;
            }

            /// <summary>PostManagedEvent, then GpioPinEventListener (ProcessEvent lines 22-30: data2 == 0 is Falling;
            /// OnEvent lines 36-53) calls the open pin's OnPinChangedInternal on the event thread.</summary>
            private void Post(bool high)
            {
                int number = _number;
                BoardTime.PostManaged(() =>
                {
                    GpioPin pin = Find(number);
                    if (pin != null)
                    {
                        pin.OnPinChangedInternal(high ? PinEventTypes.Rising : PinEventTypes.Falling);
                    }
                });
            }
        }
    }
}
