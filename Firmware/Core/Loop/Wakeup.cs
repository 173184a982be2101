using System.Threading;

namespace IotyDevice.Core
{
    /// <summary>Wakes the main loop early: a message arrived, the connection closed, the button moved.
    /// The loop otherwise sleeps until its next deadline, so it reacts on arrival, not on a poll tick.</summary>
    public class Wakeup
    {
        private readonly AutoResetEvent _event = new AutoResetEvent(false);

        /// <summary>Called from any thread (MQTT library threads, GPIO interrupts).</summary>
        public void Set()
        {
            _event.Set();
        }

        /// <summary>Returns true when woken, false when the timeout passed.</summary>
        public bool Wait(int timeoutMs)
        {
            return _event.WaitOne(timeoutMs, false);
        }
    }
}
