namespace IotyDevice.Core
{
    /// <summary>The line-oriented output a learner watches (the device's debug monitor, the simulator's terminal).</summary>
    public interface IMonitor
    {
        void WriteLine(string line);

        /// <summary>Writes chars[0..count) as one line. Lets the core print received messages from a reused buffer
        /// without allocating a string per message.</summary>
        void WriteLine(char[] chars, int count);
    }
}
