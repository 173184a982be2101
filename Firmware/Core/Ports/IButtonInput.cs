namespace IotyDevice.Core
{
    /// <summary>The BOOT button. Debouncing and press detection are the core's job (BootButton); the adapter only
    /// latches level changes as they happen, because the loop is blind while it blocks in a WiFi join or an MQTT
    /// connect (seconds), and a press made and released in that time must still count.</summary>
    public interface IButtonInput
    {
        /// <summary>True while the button is held down (GPIO0 reads low on ESP32 boards). Read once at start-up.</summary>
        bool IsDown { get; }

        /// <summary>Moves the level changes latched since the last call into the arrays, oldest first, each stamped
        /// with <see cref="IClock.NowMs"/> when it happened (true = went down); returns how many. Adapters keep them
        /// in a <see cref="ButtonChanges"/>.</summary>
        int TakeChanges(long[] atMs, bool[] down);
    }
}
