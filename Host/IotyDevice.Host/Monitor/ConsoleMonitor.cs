using System;
using System.IO;
using IotyDevice.Core;

namespace IotyDevice.Host.Monitor
{
    /// <summary>The learner's monitor on a PC: lines go to a TextWriter (Console.Out in the simulator, a
    /// StringWriter in tests). Writes are serialized because the core's thread and a host UI may both print.</summary>
    public sealed class ConsoleMonitor : IMonitor
    {
        private readonly TextWriter _writer;
        private readonly object _gate = new object();

        public ConsoleMonitor(TextWriter writer)
        {
            if (writer == null) throw new ArgumentNullException("writer");
            _writer = writer;
        }

        public void WriteLine(string line)
        {
            lock (_gate)
            {
                _writer.WriteLine(line);
                _writer.Flush();
            }
        }

        /// <summary>Prints straight from the caller's buffer: the core reuses one char[] for every received
        /// message, so this path must not make a string (the benchmarks count allocations here).</summary>
        public void WriteLine(char[] chars, int count)
        {
            lock (_gate)
            {
                _writer.Write(chars, 0, count);
                _writer.WriteLine();
                _writer.Flush();
            }
        }
    }
}
