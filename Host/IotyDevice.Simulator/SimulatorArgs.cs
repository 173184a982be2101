using System;
using System.Globalization;

namespace IotyDevice.Simulator
{
    /// <summary>The command line. Everything is optional: no argument runs the lesson against the embedded broker.</summary>
    internal sealed class SimulatorArgs
    {
        public const string Usage =
@"IotyDevice simulator: the firmware's core on this PC, with this terminal as the board's BOOT button and monitor.

  dotnet run --project Host/IotyDevice.Simulator [-- options]

  (no option)          an embedded MQTT-over-TLS broker on localhost (port 8883, or a free one), made for you
  --settings <file>    connect to the broker in <file> instead (the firmware's settings.json format)
  --once               run the commands from stdin as a script, then exit (also when stdin is not a terminal)
  --timeout <seconds>  script mode: how long to wait for the device to connect, and for each wait (default 20)
  --port <n>           embedded broker port (default 8883; 0 = any free port)
  --state-dir <dir>    where the development CA and broker password are kept (default .simulator/ in the
                       repository, or ~/.iotydevice-simulator)
  --help               this text
  monitor [--help]     instead: watch the boards' monitor lines over MQTT (see monitor --help)

Exit codes: 0 done; 1 bad command line or the simulator could not start; 2 (script mode) the device did not
connect within the timeout, or the settings have problems; 3 (script mode) a wait command timed out.";

        public string SettingsPath;
        public bool Once;
        public int TimeoutSeconds = 20;
        public int Port = EmbeddedBroker.DefaultPort;
        public bool PortGiven;
        public string StateDir;
        public bool Help;

        /// <summary>Parses; returns null and sets <paramref name="error"/> when the command line is wrong.</summary>
        public static SimulatorArgs Parse(string[] args, out string error)
        {
            var a = new SimulatorArgs();
            error = null;
            for (int i = 0; i < args.Length; i++)
            {
                string arg = args[i];
                switch (arg)
                {
                    case "--help":
                    case "-h":
                        a.Help = true;
                        break;
                    case "--once":
                        a.Once = true;
                        break;
                    case "--settings":
                        if (!Value(args, ref i, out a.SettingsPath, out error)) return null;
                        break;
                    case "--state-dir":
                        if (!Value(args, ref i, out a.StateDir, out error)) return null;
                        break;
                    case "--timeout":
                    case "--port":
                        string text;
                        if (!Value(args, ref i, out text, out error)) return null;
                        int number;
                        if (!int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out number)
                            || (arg == "--timeout" ? number < 1 : number > 65535))
                        {
                            error = arg + " " + text + ": expected " + (arg == "--timeout" ? "a number of seconds (1 or more)" : "a port number (0 to 65535)");
                            return null;
                        }
                        if (arg == "--timeout") a.TimeoutSeconds = number;
                        else
                        {
                            a.Port = number;
                            a.PortGiven = true;
                        }
                        break;
                    default:
                        error = "unknown option '" + arg + "'";
                        return null;
                }
            }
            if (a.SettingsPath != null && (a.PortGiven || a.StateDir != null))
            {
                error = "--port and --state-dir are for the embedded broker; with --settings the broker is the one in the settings file";
                return null;
            }
            return a;
        }

        private static bool Value(string[] args, ref int i, out string value, out string error)
        {
            if (i + 1 >= args.Length || args[i + 1].StartsWith("--", StringComparison.Ordinal))
            {
                value = null;
                error = args[i] + " needs a value";
                return false;
            }
            value = args[++i];
            error = null;
            return true;
        }
    }
}
