using System;
using System.Diagnostics;
using IotyDevice.Core;

namespace IotyDevice.Host.Clock
{
    /// <summary>The PC's clocks. NowMs comes from Stopwatch because the core times debounce and backoff with it
    /// and it must never jump when the wall clock is adjusted (the device uses its monotonic tick count).</summary>
    public sealed class SystemClock : IClock
    {
        private readonly Stopwatch _sinceStart = Stopwatch.StartNew();

        public long NowMs { get { return _sinceStart.ElapsedMilliseconds; } }

        public DateTime UtcNow { get { return DateTime.UtcNow; } }
    }
}
