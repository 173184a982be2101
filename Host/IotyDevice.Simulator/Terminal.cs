using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text;
using System.Threading;
using IotyDevice.Core;
using IotyDevice.Host.Monitor;

namespace IotyDevice.Simulator
{
    /// <summary>The simulator's one output: the device's monitor lines (the core prints them through
    /// <see cref="Monitor"/>, a ConsoleMonitor) and the simulator's own lines, marked [sim] or [app], all go
    /// through the same ConsoleMonitor so no line is ever split by another thread's. Everything printed is also
    /// kept, so a script can wait for a line and a BOOT press can wait until the device reacted. [sim] and [app]
    /// lines carry outside text (client IDs, payloads, topics, library messages): control characters in it are
    /// replaced as the device replaces them in payloads, so none can forge a line or move the cursor.</summary>
    internal sealed class Terminal
    {
        private readonly LineLog _log;

        public Terminal(TextWriter output)
        {
            _log = new LineLog(output);
            Monitor = new ConsoleMonitor(_log);
        }

        /// <summary>What the device's core prints to.</summary>
        public ConsoleMonitor Monitor { get; private set; }

        /// <summary>A simulator line: about the simulation itself, never something a real board would print.</summary>
        public void Sim(string text) { Monitor.WriteLine("[sim] " + Utf8.Printable(text)); }

        /// <summary>What the IoTy App Builder side (the peer client) sees or does.</summary>
        public void App(string text) { Monitor.WriteLine("[app] " + Utf8.Printable(text)); }

        /// <summary>Each completed line, in order, on the thread that printed it (keep handlers short).</summary>
        public event Action<string> LinePrinted
        {
            add { _log.LinePrinted += value; }
            remove { _log.LinePrinted -= value; }
        }

        /// <summary>How many lines have been printed so far.</summary>
        public int LineCount { get { return _log.Count; } }

        /// <summary>Waits for a line at index <paramref name="from"/> or later that matches; returns its index + 1,
        /// or -1 on timeout or cancellation.</summary>
        public int WaitForLine(int from, Func<string, bool> matches, TimeSpan timeout, CancellationToken cancel)
        {
            return _log.WaitFor(from, matches, timeout, cancel);
        }

        /// <summary>A TextWriter in front of the real output that keeps every completed line.</summary>
        private sealed class LineLog : TextWriter
        {
            private readonly TextWriter _inner;
            private readonly List<string> _lines = new List<string>();
            private readonly StringBuilder _partial = new StringBuilder();
            private readonly object _gate = new object();

            public LineLog(TextWriter inner)
            {
                _inner = inner;
            }

            public override Encoding Encoding { get { return _inner.Encoding; } }

            public event Action<string> LinePrinted;

            public int Count { get { lock (_gate) return _lines.Count; } }

            public override void Write(char value)
            {
                _inner.Write(value);
                Keep(value);
            }

            public override void Write(char[] buffer, int index, int count)
            {
                _inner.Write(buffer, index, count);
                for (int i = index; i < index + count; i++) Keep(buffer[i]);
            }

            public override void Write(string value)
            {
                if (value == null) return;
                _inner.Write(value);
                foreach (char c in value) Keep(c);
            }

            public override void Flush() { _inner.Flush(); }

            private void Keep(char c)
            {
                lock (_gate)
                {
                    if (c == '\r') return;
                    if (c != '\n')
                    {
                        _partial.Append(c);
                        return;
                    }
                    string line = _partial.ToString();
                    _lines.Add(line);
                    _partial.Clear();
                    Action<string> printed = LinePrinted;
                    if (printed != null) printed(line); // under the lock: handlers see lines in order
                    System.Threading.Monitor.PulseAll(_gate);
                }
            }

            public int WaitFor(int from, Func<string, bool> matches, TimeSpan timeout, CancellationToken cancel)
            {
                Stopwatch clock = Stopwatch.StartNew();
                lock (_gate)
                {
                    for (int i = Math.Max(0, from); ; )
                    {
                        for (; i < _lines.Count; i++)
                        {
                            if (matches(_lines[i])) return i + 1;
                        }
                        TimeSpan left = timeout - clock.Elapsed;
                        if (left <= TimeSpan.Zero || cancel.IsCancellationRequested) return -1;
                        // Short slices so a cancellation (Ctrl+C, quit) is seen promptly.
                        System.Threading.Monitor.Wait(_gate, left < TimeSpan.FromMilliseconds(100) ? left : TimeSpan.FromMilliseconds(100));
                    }
                }
            }
        }
    }
}
