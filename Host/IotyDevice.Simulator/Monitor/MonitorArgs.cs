using System;
using System.Globalization;

namespace IotyDevice.Simulator
{
    /// <summary>The command line of `monitor`: which broker (the settings file a learner deploys, or the simulator's
    /// embedded broker) and, optionally, which board.</summary>
    internal sealed class MonitorArgs
    {
        public const string Command = "monitor";

        public const string Usage =
@"IotyDevice monitor: every board's monitor lines and online/offline, live, from the broker (no USB cable).

  dotnet run --project Host/IotyDevice.Simulator -- monitor [options]

  --settings <file>    the broker in <file> (the settings.json you deploy to the board); without it, the
                       simulator's embedded broker on localhost
  --board <chip ID>    only that board (default: every board on the broker)
  --port <n>           embedded broker port (default 8883; the simulator prints it if it had to move)
  --state-dir <dir>    where the simulator keeps its development CA and broker password (as the simulator's)
  --help               this text

Stop it with Ctrl+C. Exit codes: 0 stopped; 1 bad command line; 2 the settings have problems, or the broker
cannot be reached or refused the connection (the line above says which and what to check).";

        public string SettingsPath;
        public string Board;
        public int Port = EmbeddedBroker.DefaultPort;
        public bool PortGiven;
        public string StateDir;
        public bool Help;

        /// <summary>Parses what follows `monitor`; returns null and sets <paramref name="error"/> when it is wrong.</summary>
        public static MonitorArgs Parse(string[] args, int from, out string error)
        {
            var a = new MonitorArgs();
            error = null;
            for (int i = from; i < args.Length; i++)
            {
                string arg = args[i];
                string value;
                switch (arg)
                {
                    case "--help":
                    case "-h":
                        a.Help = true;
                        break;
                    case "--settings":
                        if (!SimulatorArgs.Value(args, ref i, out a.SettingsPath, out error)) return null;
                        break;
                    case "--state-dir":
                        if (!SimulatorArgs.Value(args, ref i, out a.StateDir, out error)) return null;
                        break;
                    case "--board":
                        if (!SimulatorArgs.Value(args, ref i, out value, out error)) return null;
                        if (value.Length == 0 || value.IndexOfAny(new[] { '/', '+', '#', ' ' }) >= 0)
                        {
                            error = "--board " + value + ": expected a chip ID, e.g. 240ac412abfe (the board prints it at start-up)";
                            return null;
                        }
                        a.Board = value.ToLowerInvariant();
                        break;
                    case "--port":
                        if (!SimulatorArgs.Value(args, ref i, out value, out error)) return null;
                        int port;
                        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out port) || port < 1 || port > 65535)
                        {
                            error = "--port " + value + ": expected a port number (1 to 65535)";
                            return null;
                        }
                        a.Port = port;
                        a.PortGiven = true;
                        break;
                    default:
                        error = "unknown monitor option '" + arg + "'";
                        return null;
                }
            }
            error = SimulatorArgs.BrokerChoiceError(a.SettingsPath, a.PortGiven, a.StateDir);
            return error == null ? a : null;
        }
    }
}
