using System;

namespace IotyDevice.Core
{
    /// <summary>Time as the core sees it. Injected so tests drive time instead of sleeping.</summary>
    public interface IClock
    {
        /// <summary>Milliseconds since an arbitrary start; never goes backwards (not the wall clock).</summary>
        long NowMs { get; }

        /// <summary>Wall-clock time; before SNTP has run on the device it is in the 1970s.</summary>
        DateTime UtcNow { get; }
    }
}
