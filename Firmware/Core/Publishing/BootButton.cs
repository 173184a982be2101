namespace IotyDevice.Core
{
    /// <summary>Turns raw BOOT levels into presses: a level counts once it has held for the debounce time, and a
    /// press is a settled change from up to down. Holding does not repeat, and a button already down at start-up
    /// (held through reset: GPIO0 is also the download-mode strap) counts only after it has been released.
    /// Levels come either as samples (<see cref="Sample"/>) or as latched changes (<see cref="Feed"/>).</summary>
    public class BootButton
    {
        private readonly int _debounceMs;
        private bool _lastRaw;
        private long _lastChangeMs;
        private bool _settledDown;

        public BootButton(int debounceMs, bool downAtStart, long nowMs)
        {
            _debounceMs = debounceMs;
            _lastRaw = downAtStart;
            _settledDown = downAtStart;
            _lastChangeMs = nowMs;
        }

        /// <summary>Feeds one sample; returns true exactly once per press, when the press has settled.</summary>
        public bool Sample(bool rawDown, long nowMs)
        {
            if (rawDown != _lastRaw)
            {
                _lastRaw = rawDown;
                _lastChangeMs = nowMs;
                return false;
            }

            if (rawDown == _settledDown || nowMs - _lastChangeMs < _debounceMs)
            {
                return false;
            }

            _settledDown = rawDown;
            return rawDown;
        }

        /// <summary>Replays the level changes the adapter latched (see <see cref="IButtonInput.TakeChanges"/>) at the
        /// times they happened, then looks at the latest level at <paramref name="nowMs"/>; returns the presses
        /// seen. So a press made and released while the loop was blocked counts as if the loop had been watching,
        /// with the same debounce. A stamp earlier than what was already fed is taken as "just now".</summary>
        public int Feed(long[] atMs, bool[] down, int count, long nowMs)
        {
            int presses = 0;
            long fedMs = _lastChangeMs;
            for (int i = 0; i < count; i++)
            {
                long at = atMs[i] - fedMs < 0 ? fedMs : atMs[i];
                // First let the level held until this change settle (it may have lasted long enough), then change.
                if (Sample(_lastRaw, at))
                {
                    presses++;
                }

                // A change is never a press by itself: a level that differs only starts its debounce, and the same
                // level was just looked at above with the same time.
                Sample(down[i], at);
                fedMs = at;
            }

            // A now earlier than the last stamp cannot settle anything: that level has not held at all by then.
            if (Sample(_lastRaw, nowMs))
            {
                presses++;
            }

            return presses;
        }

        /// <summary>Milliseconds until an unsettled level settles and needs another sample, or -1 if it is settled.</summary>
        public int MsUntilSettled(long nowMs)
        {
            if (_lastRaw == _settledDown)
            {
                return -1;
            }

            long left = _debounceMs - (nowMs - _lastChangeMs);
            return left > 0 ? (int)left : 0;
        }
    }
}
