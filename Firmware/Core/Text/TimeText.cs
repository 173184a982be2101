namespace IotyDevice.Core
{
    /// <summary>Durations as the monitor lines write them.</summary>
    public static class TimeText
    {
        /// <summary>"2.5" for 2500 ms (tenths, cut not rounded).</summary>
        public static string Seconds(long ms)
        {
            return (ms / 1000).ToString() + "." + (ms / 100 % 10).ToString();
        }
    }
}
