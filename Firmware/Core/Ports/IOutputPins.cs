namespace IotyDevice.Core
{
    /// <summary>Digital outputs the lesson switches (an LED, a relay): GPIO on the board, a visible line in the
    /// simulator. Called on the main loop only.</summary>
    public interface IOutputPins
    {
        /// <summary>Drives <paramref name="pin"/> high (true) or low (false), making it an output first if needed.
        /// Throws with a message for the learner when the pin cannot be an output.</summary>
        void Write(int pin, bool high);
    }
}
