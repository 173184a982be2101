namespace IotyDevice.Core
{
    /// <summary>What the status LED shows, from the connection state, driven by the loop's clock (no timer thread):
    /// settings invalid fast blink; joining WiFi slow blink; waiting for the clock or connecting MQTT double blink;
    /// online steady on, with one short off-blink per message received and two per press sent. Switches the pin only
    /// when the level changes, and allocates nothing.</summary>
    public class StatusLight
    {
        // Alternating durations in ms, the first one lit.
        private static readonly int[] FastBlink = { 100, 100 };
        private static readonly int[] SlowBlink = { 500, 500 };
        private static readonly int[] DoubleBlink = { 100, 150, 100, 650 };
        // Overlays on a steady light, the first one dark.
        private static readonly int[] MessageFlash = { 80 };
        private static readonly int[] PressFlash = { 80, 80, 80 };

        private readonly IStatusLight _output;
        private readonly IClock _clock;
        private int _pin = -1;
        private int[] _blink; // null: steady
        private bool _steadyOn;
        private long _sinceMs;
        private int[] _flash;
        private long _flashSinceMs;
        private bool _lit;
        private int _litPin = -1;

        /// <param name="output">The LED; null for a board without one.</param>
        public StatusLight(IStatusLight output, IClock clock)
        {
            _output = output;
            _clock = clock;
        }

        /// <summary>Sets the pattern for <paramref name="state"/> on GPIO <paramref name="pin"/> (-1: no light) and
        /// drives the pin. Returns the ms until the light next changes (int.MaxValue: steady).</summary>
        public int Show(ConnectionState state, int pin)
        {
            long now = _clock.NowMs;
            int[] blink = null;
            bool steadyOn = false;
            switch (state)
            {
                case ConnectionState.SettingsInvalid:
                    blink = FastBlink;
                    break;
                case ConnectionState.JoiningWifi:
                    blink = SlowBlink;
                    break;
                case ConnectionState.WaitingForClock:
                case ConnectionState.ConnectingMqtt:
                    blink = DoubleBlink;
                    break;
                case ConnectionState.Online:
                    steadyOn = true;
                    break;
            }

            if (blink != _blink || steadyOn != _steadyOn || pin != _pin)
            {
                _blink = blink;
                _steadyOn = steadyOn;
                _pin = pin;
                _sinceMs = now;
                _flash = null;
            }

            int untilChange;
            bool lit = LitAt(now, out untilChange);
            Drive(lit);
            return untilChange;
        }

        /// <summary>One short off-blink (while online).</summary>
        public void MessageReceived()
        {
            Flash(MessageFlash);
        }

        /// <summary>Two short off-blinks (while online).</summary>
        public void PressSent()
        {
            Flash(PressFlash);
        }

        private void Flash(int[] flash)
        {
            if (_steadyOn)
            {
                _flash = flash;
                _flashSinceMs = _clock.NowMs;
            }
        }

        private bool LitAt(long now, out int untilChange)
        {
            if (_flash != null)
            {
                int at = (int)(now - _flashSinceMs);
                for (int i = 0; i < _flash.Length; i++)
                {
                    if (at < _flash[i])
                    {
                        untilChange = _flash[i] - at;
                        return i % 2 == 1;
                    }

                    at -= _flash[i];
                }

                _flash = null;
            }

            if (_blink == null)
            {
                untilChange = int.MaxValue;
                return _steadyOn;
            }

            int period = 0;
            for (int i = 0; i < _blink.Length; i++)
            {
                period += _blink[i];
            }

            // The phase is below the period, so the walk ends inside the pattern.
            int phase = (int)((now - _sinceMs) % period);
            int step = 0;
            while (phase >= _blink[step])
            {
                phase -= _blink[step];
                step++;
            }

            untilChange = _blink[step] - phase;
            return step % 2 == 0;
        }

        private void Drive(bool lit)
        {
            if (_output == null)
            {
                return;
            }

            if (_litPin != _pin && _litPin >= 0 && _lit)
            {
                // The pin setting changed: leave the old LED dark. _lit needs no reset: _litPin no longer being
                // _pin makes the next Set below (or the first on a later pin) happen whatever the level.
                _output.Set(_litPin, false);
            }

            if (_pin < 0)
            {
                _litPin = _pin;
                return;
            }

            if (lit != _lit || _litPin != _pin)
            {
                _output.Set(_pin, lit);
                _lit = lit;
                _litPin = _pin;
            }
        }
    }
}
