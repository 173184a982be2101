using Board.Models;
using IotyDevice.Core;
using IotyDevice.Firmware;
using Xunit;

namespace Board.Tests.Adapters
{
    /// <summary>Firmware/Device/GpioBootButton.cs on the model of System.Device.Gpio 1.1.62 and the ESP32 pin code,
    /// feeding the core's BootButton as Device does.</summary>
    public sealed class GpioBootButtonOnModelTests
    {
        private readonly int _debounceMs = new DeviceOptions().DebounceMs;
        private readonly GpioBootButton _button;
        private readonly BootButton _presses;
        private readonly long[] _at = new long[32];
        private readonly bool[] _down = new bool[32];

        public GpioBootButtonOnModelTests()
        {
            Rig.BoardOnline();
            _button = new GpioBootButton(new Wakeup(), _debounceMs);
            _button.Open(0);
            _presses = new BootButton(_debounceMs, _button.IsDown, BoardTime.NowMs);
        }

        private int Presses()
        {
            int count = _button.TakeChanges(_at, _down);
            int presses = _presses.Feed(_at, _down, count, BoardTime.NowMs);
            BoardTime.Advance(_debounceMs);
            return presses + _presses.Feed(_at, _down, 0, BoardTime.NowMs);
        }

        [Fact]
        public void A_bouncing_press_counts_once()
        {
            BoardPins.Press(0, BoardTime.NowMs + 100, holdMs: 150, bounces: 4);
            BoardTime.Advance(1000);
            Assert.Equal(1, Presses());
        }

        [Fact]
        public void A_press_made_and_released_during_the_TLS_handshake_counts_once_it_is_over()
        {
            // The handshake holds the interpreter for 1.5 s: both edges reach the handler together afterwards.
            BoardPins.Press(0, BoardTime.NowMs + 300, holdMs: 150, bounces: 3);
            Assert.True(new M2MqttTransport().Connect(Rig.Request()).IsAccepted);
            Assert.Equal(1, Presses());
        }

        [Fact]
        public void Two_presses_during_the_TLS_handshake_count_twice()
        {
            BoardPins.Press(0, BoardTime.NowMs + 200, holdMs: 120, bounces: 2);
            BoardPins.Press(0, BoardTime.NowMs + 700, holdMs: 120, bounces: 2);
            Assert.True(new M2MqttTransport().Connect(Rig.Request()).IsAccepted);
            Assert.Equal(2, Presses());
        }
    }
}
