using System;

namespace IotyDevice.Core
{
    /// <summary>Where a BOOT press becomes a publish: takes the level changes the adapter latched on the pin the
    /// settings name, debounces them (<see cref="BootButton"/>) and runs the lesson's OnBootPress once per press,
    /// whose board.Publish goes to the <see cref="Outbox"/> labelled "BOOT".</summary>
    public class BootPresses
    {
        private const int ChangesPerPass = 32;

        private readonly IButtonInput _input;
        private readonly IMonitor _monitor;
        private readonly int _debounceMs;
        private readonly LessonRunner _lesson;
        private readonly LessonPublishes _publishes;
        private readonly long[] _changeMs = new long[ChangesPerPass];
        private readonly bool[] _changeDown = new bool[ChangesPerPass];
        private BootButton _button;
        private int _pin = -1;

        public BootPresses(IButtonInput input, IMonitor monitor, int debounceMs, LessonRunner lesson, LessonPublishes publishes)
        {
            _input = input;
            _monitor = monitor;
            _debounceMs = debounceMs;
            _lesson = lesson;
            _publishes = publishes;
        }

        /// <summary>The GPIO the button was last opened on.</summary>
        public int Pin { get { return _pin; } }

        /// <summary>Opens the button on <paramref name="pin"/> and takes its level as the start: a button already
        /// down (held through reset: BOOT is also a strapping pin) counts only once it has been released.</summary>
        public void Open(int pin, long now)
        {
            try
            {
                _input.Open(pin);
            }
            catch (Exception e)
            {
                // Validation refuses pins no ESP32 can read; this is what is left (a pin the board itself holds).
                _monitor.WriteLine("BOOT: GPIO" + pin.ToString() + " cannot be opened as an input (" + e.Message + "); check BootButtonPin");
            }

            _pin = pin;
            // Changes latched before now belong to the level read below.
            _input.TakeChanges(_changeMs, _changeDown);
            bool down = _input.IsDown;
            _button = new BootButton(_debounceMs, down, now);
            if (down)
            {
                _monitor.WriteLine("BOOT: held at start-up; ignored until released");
            }
        }

        /// <summary>Runs the lesson's OnBootPress for each press completed since the last call (counted from the latched
        /// changes and the level now); without usable settings there is nothing to send, which a press is told.</summary>
        public void Deliver(long now, bool settingsUsable)
        {
            int changes = _input.TakeChanges(_changeMs, _changeDown);
            for (int presses = _button.Feed(_changeMs, _changeDown, changes, now); presses > 0; presses--)
            {
                if (!settingsUsable)
                {
                    _monitor.WriteLine("BOOT: pressed, but nothing can be sent until the settings are fixed (see above)");
                    continue;
                }

                _publishes.Label = "BOOT";
                _lesson.OnBootPress();
            }
        }

        /// <summary>Milliseconds until a changing level settles and must be looked at again, or -1 when settled.</summary>
        public int MsUntilSettled(long now)
        {
            return _button.MsUntilSettled(now);
        }
    }
}
