using System;
using IotyDevice.Core;

namespace IotyDevice.Firmware
{
    /// <summary>Time for the core. Environment.TickCount64 (ms since boot, monotonic) is declared in
    /// nanoFramework.Runtime.Native, not in mscorlib 1.17.11; DateTime.UtcNow is the wall clock that SNTP sets
    /// after the WiFi join (it reads 1970 before that).</summary>
    internal sealed class DeviceClock : IClock
    {
        public long NowMs { get { return Environment.TickCount64; } }

        public DateTime UtcNow { get { return DateTime.UtcNow; } }
    }
}
