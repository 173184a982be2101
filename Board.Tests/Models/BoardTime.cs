using System;
using System.Collections.Generic;

namespace Board.Models
{
    /// <summary>The board's time and its two kinds of work, driven by the test. Native work (interrupts, driver
    /// timers, the WiFi driver's events, the TLS handshake) happens at its time. Managed work (event handlers, the
    /// library threads of M2Mqtt) runs only while the interpreter runs: a native call that blocks the whole
    /// interpreter (<see cref="Blocked"/>) holds it, and it runs in order once the call returns.</summary>
    /// <remarks>
    /// nanoFramework runs every managed thread on one interpreter loop; a native method that does not yield holds
    /// them all. The TLS handshake is such a call: nanoframework/nf-interpreter :
    /// src/DeviceInterfaces/System.Net/sys_net_native_System_Net_Security_SslNative.cpp (SecureConnect, lines
    /// 166-168: "ssl_connect_internal runs the handshake in blocking mode and loops internally") and
    /// src/PAL/COM/sockets/ssl/MbedTLS/ssl_connect_internal.cpp (lines 52-67, the mbedtls_ssl_handshake loop).
    /// Native events reach managed code through the CLR's event queue, posted by PostManagedEvent
    /// (src/nanoFramework.Runtime.Events/nf_rt_events_native_nanoFramework_Runtime_Events_EventSink.cpp, line 14)
    /// and dispatched when the interpreter runs the event thread.
    /// </remarks>
    public static class BoardTime
    {
        private static readonly List<Timed> Timers = new List<Timed>();
        private static readonly Queue<Action> ManagedEvents = new Queue<Action>();
        private static long _sequence;
        private static int _blocked;
        private static bool _running;

        /// <summary>Milliseconds since the board started.</summary>
        public static long NowMs { get; private set; }

        /// <summary>True while a native call holds the interpreter.</summary>
        public static bool InterpreterBlocked { get { return _blocked > 0; } }

        public static void Reset()
        {
            Timers.Clear();
            ManagedEvents.Clear();
            NowMs = 1000;
            _sequence = 0;
            _blocked = 0;
            _running = false;
        }

        /// <summary>Native work at <paramref name="atMs"/> (an interrupt, a driver timer, a radio event).</summary>
        public static void AtNative(long atMs, Action work)
        {
            Timers.Add(new Timed(Math.Max(atMs, NowMs), _sequence++, work));
        }

        /// <summary>Managed work at <paramref name="atMs"/>: a library thread waking up. Runs at that time, or once the
        /// interpreter is free again.</summary>
        public static void AtManaged(long atMs, Action work)
        {
            AtNative(atMs, () => PostManaged(work));
        }

        /// <summary>Native code hands work to managed code (an event, a thread it wakes).</summary>
        public static void PostManaged(Action work)
        {
            ManagedEvents.Enqueue(work);
        }

        /// <summary>Time passes on the board; everything due runs in time order.</summary>
        public static void Advance(long ms)
        {
            RunUntil(NowMs + Math.Max(ms, 0));
        }

        /// <summary>Runs what is due now without letting time pass.</summary>
        public static void RunDue()
        {
            RunUntil(NowMs);
        }

        /// <summary>A native call that holds the whole interpreter for <paramref name="ms"/>: native work goes on, managed
        /// work waits and then runs in order.</summary>
        public static void Blocked(long ms)
        {
            _blocked++;
            try
            {
                Advance(ms);
            }
            finally
            {
                _blocked--;
            }
        }

        private static void RunUntil(long endMs)
        {
            if (_running)
            {
                // Managed work that sleeps (a handler calling Thread.Sleep) would need a second thread; the adapters
                // never do it, and the models must say so if one starts to.
                throw new InvalidOperationException("board time advanced from inside board work");
            }

            _running = true;
            try
            {
                while (true)
                {
                    RunManaged();
                    Timed next = Next(endMs);
                    if (next == null)
                    {
                        break;
                    }

                    Timers.Remove(next);
                    NowMs = next.AtMs;
                    next.Work();
                }

                NowMs = endMs;
                RunManaged();
            }
            finally
            {
                _running = false;
            }
        }

        private static void RunManaged()
        {
            while (_blocked == 0 && ManagedEvents.Count > 0)
            {
                ManagedEvents.Dequeue()();
            }
        }

        private static Timed Next(long endMs)
        {
            Timed next = null;
            foreach (Timed timed in Timers)
            {
                if (timed.AtMs <= endMs && (next == null || timed.AtMs < next.AtMs || (timed.AtMs == next.AtMs && timed.Sequence < next.Sequence)))
                {
                    next = timed;
                }
            }

            return next;
        }

        private sealed class Timed
        {
            public readonly long AtMs;
            public readonly long Sequence;
            public readonly Action Work;

            public Timed(long atMs, long sequence, Action work)
            {
                AtMs = atMs;
                Sequence = sequence;
                Work = work;
            }
        }
    }
}
