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

  (no option)          an embedded broker on localhost, made for you: MQTT over TLS for the board (port 8883, or
                       a free one) and MQTT over WebSockets at /mqtt; an App Builder page for your browser
  --settings <file>    connect to the broker in <file> instead (the firmware's settings.json format)
  --once               run the commands from stdin as a script, then exit (also when stdin is not a terminal)
  --timeout <seconds>  script mode: how long to wait for the device to connect, and for each wait (default 20)
  --port <n>           embedded broker port (default 8883; 0 = any free port)
  --web-port <n>       the App Builder page and MQTT over WebSockets (/mqtt) on http://localhost:<n>/
                       (default 8080, or a free port when taken; 0 = any free port)
  --no-web             no App Builder page (MQTT over WebSockets stays on with the embedded broker)
  --allow-origin <url> let web pages from <url> (e.g. https://my-app.example) use MQTT over WebSockets too;
                       the simulator's own page and https://ioty-mqtt.a9i.sg always may (repeatable)
  --state-dir <dir>    where the development CA and broker password are kept (default .simulator/ in the
                       repository, or ~/.iotydevice-simulator)
  --board <chip>       esp32 (default), esp32s3 or esp32c3: the board the simulator says it is, with its image
                       and pins (the built-in settings use that board's BOOT and LED pins); the core is the same
  --status-led <pin>   the built-in settings' StatusLedPin instead of the board's LED (-1: none), e.g. -1 to let
                       a lesson switch GPIO2 with board.DigitalWrite (the status light owns its pin)
  --help               this text
  monitor [--help]     instead: watch the boards' monitor lines over MQTT (see monitor --help)

Exit codes: 0 done; 1 bad command line or the simulator could not start; 2 (script mode) the device did not
connect within the timeout, or the settings have problems; 3 (script mode) a wait command timed out.";

        public string SettingsPath;
        public bool Once;
        public int TimeoutSeconds = 20;
        public int Port = EmbeddedBroker.DefaultPort;
        public bool PortGiven;
        public int WebPort = WebServer.DefaultPort;
        public bool NoWeb;
        public readonly System.Collections.Generic.List<string> AllowedOrigins = new System.Collections.Generic.List<string>();
        public string StateDir;
        public bool Help;
        public SimulatedBoard Board = SimulatedBoard.For(IotyDevice.Core.EspPins.Esp32);
        public bool StatusLedGiven;
        public int StatusLedPin;

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
                    case "--no-web":
                        a.NoWeb = true;
                        break;
                    case "--allow-origin":
                        string origin;
                        if (!Value(args, ref i, out origin, out error)) return null;
                        if (WebOrigins.Check(origin) == null)
                        {
                            error = "--allow-origin " + origin + ": expected a web page's origin, e.g. https://my-app.example or http://192.168.1.5:3000";
                            return null;
                        }
                        a.AllowedOrigins.Add(WebOrigins.Check(origin));
                        break;
                    case "--settings":
                        if (!Value(args, ref i, out a.SettingsPath, out error)) return null;
                        break;
                    case "--state-dir":
                        if (!Value(args, ref i, out a.StateDir, out error)) return null;
                        break;
                    case "--board":
                        string board;
                        if (!Value(args, ref i, out board, out error)) return null;
                        a.Board = SimulatedBoard.For(board);
                        if (a.Board == null)
                        {
                            error = "--board " + board + ": expected esp32, esp32s3 or esp32c3";
                            return null;
                        }
                        break;
                    case "--status-led":
                        string pin;
                        if (!Value(args, ref i, out pin, out error)) return null;
                        if (!int.TryParse(pin, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out a.StatusLedPin) || a.StatusLedPin < -1)
                        {
                            error = "--status-led " + pin + ": expected a GPIO number, or -1 for no status light";
                            return null;
                        }
                        a.StatusLedGiven = true;
                        break;
                    case "--timeout":
                    case "--port":
                    case "--web-port":
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
                        else if (arg == "--web-port") a.WebPort = number;
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
            error = BrokerChoiceError(a.SettingsPath, a.PortGiven, a.StateDir);
            if (error == null && a.SettingsPath != null && a.StatusLedGiven)
                error = "--status-led is for the built-in settings; with --settings set StatusLedPin in the file";
            if (error == null && a.StatusLedGiven) a.Board = a.Board.WithStatusLed(a.StatusLedPin);
            return error == null ? a : null;
        }

        /// <summary>Why --port/--state-dir cannot go with --settings, or null when the choice of broker is clear.</summary>
        internal static string BrokerChoiceError(string settingsPath, bool portGiven, string stateDir)
        {
            return settingsPath != null && (portGiven || stateDir != null)
                ? "--port and --state-dir are for the embedded broker; with --settings the broker is the one in the settings file"
                : null;
        }

        /// <summary>The value after option args[i] (moving i to it), or false with the error when there is none.</summary>
        internal static bool Value(string[] args, ref int i, out string value, out string error)
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
