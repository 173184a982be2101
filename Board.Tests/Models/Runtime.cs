using Board.Models;

namespace System
{
    /// <summary>Environment.TickCount64 as the board has it (nanoFramework.Runtime.Native 1.7.11 adds it; mscorlib
    /// 1.17.11 lacks it): milliseconds since boot, here the models' time.</summary>
    public static class Environment
    {
        public static long TickCount64 { get { return BoardTime.NowMs; } }
    }
}

namespace System.Threading
{
    /// <summary>The part of Thread the adapters call. Sleep lets the board's time pass: the calling thread waits while
    /// the others (library threads, event handlers) run.</summary>
    public sealed class Thread
    {
        public static void Sleep(int millisecondsTimeout)
        {
            BoardTime.Advance(millisecondsTimeout);
        }
    }
}

namespace System.Threading
{
    /// <summary>AutoResetEvent as the adapters use it (mscorlib 1.17.11: WaitOne(int, bool)). A wait lets the board's
    /// time pass until the event is set by other board work or the time is up.</summary>
    public sealed class AutoResetEvent
    {
        private const int Step = 10;
        private bool _set;

        public AutoResetEvent(bool initialState)
        {
            _set = initialState;
        }

        public bool Set()
        {
            _set = true;
            return true;
        }

        public bool Reset()
        {
            _set = false;
            return true;
        }

        public bool WaitOne(int millisecondsTimeout, bool exitContext)
        {
            long end = BoardTime.NowMs + millisecondsTimeout;
            while (!_set && BoardTime.NowMs < end)
            {
                BoardTime.Advance(Math.Min(Step, end - BoardTime.NowMs));
            }

            bool was = _set;
            _set = false;
            return was;
        }
    }
}

namespace nanoFramework.Runtime.Native
{
    /// <summary>What the image says about itself (nanoFramework.Runtime.Native v1.7.11, SystemInfo.cs lines 25-97:
    /// Version, TargetName and Platform, read natively from the image's build). The model is a classic ESP32 image.</summary>
    public static class SystemInfo
    {
        public static System.Version Version { get { return new System.Version(1, 17, 0, 32); } }

        public static string TargetName { get { return "ESP32_REV0"; } }

        public static string Platform { get { return "ESP32"; } }
    }
}
