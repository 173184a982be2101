using System;
using IotyDevice.Core;

namespace IotyDevice.Firmware
{
    /// <summary>The learner's monitor. Console.WriteLine reaches the Visual Studio Output window and the VS Code
    /// serial monitor over the debug wire protocol; unlike Debug.WriteLine it is not compiled out of Release
    /// builds.</summary>
    internal sealed class ConsoleMonitor : IMonitor
    {
        public void WriteLine(string line)
        {
            Console.WriteLine(line);
        }

        public void WriteLine(char[] chars, int count)
        {
            // nanoFramework's Console has no char[] overload, so one string per line it is.
            Console.WriteLine(new string(chars, 0, count));
        }
    }
}
