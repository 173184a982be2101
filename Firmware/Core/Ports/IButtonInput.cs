namespace IotyDevice.Core
{
    /// <summary>The raw BOOT button level. Debouncing and press detection are the core's job (BootButton).</summary>
    public interface IButtonInput
    {
        /// <summary>True while the button is held down (GPIO0 reads low on ESP32 boards).</summary>
        bool IsDown { get; }
    }
}
