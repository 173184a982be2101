using System;
using System.Diagnostics;
using IotyDevice.Core;

namespace IotyDevice.Host.Clock
{
    /// <summary>The PC's clocks. NowMs comes from Stopwatch because the core times debounce and backoff with it
    /// and it must never jump when the wall clock is adjusted (the device uses its monotonic tick count). One
    /// Stopwatch for the process, so every SystemClock (e.g. the button adapter's stamps) agrees.</summary>
    public sealed class SystemClock : IClock
    {
        private static readonly Stopwatch SinceStart = Stopwatch.StartNew();

        public long NowMs { get { return SinceStart.ElapsedMilliseconds; } }

        public DateTime UtcNow { get { return DateTime.UtcNow; } }
    }
}
