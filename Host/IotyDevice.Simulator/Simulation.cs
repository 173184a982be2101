using System;
using System.Collections.Concurrent;
using System.Diagnostics;
using System.IO;
using System.Runtime.InteropServices;
using System.Threading;
using IotyDevice.Core;
using IotyDevice.Host.Button;
using IotyDevice.Host.Clock;
using IotyDevice.Host.Mqtt;
using IotyDevice.Host.Network;
using IotyDevice.Host.Pins;
using IotyDevice.Host.Settings;

namespace IotyDevice.Simulator
{
    /// <summary>Puts the pieces together and runs them: the firmware's core <see cref="Device"/> on the host
    /// adapters (on its own thread, as on the board), a broker (embedded, or the one in --settings), the App
    /// Builder's peer client, and the terminal's commands. No MQTT device behaviour lives here: every device
    /// line is printed by the core.</summary>
    internal sealed class Simulation : IDisposable
    {
        /// <summary>A made-up Espressif-style MAC, the same on every run so the client ID stays put.</summary>
        public static readonly byte[] SimulatedMac = { 0x24, 0x0A, 0xC4, 0x12, 0xAB, 0xFE };

        public const int ExitOk = 0;
        public const int ExitCannotStart = 1;
        public const int ExitNotConnected = 2;
        public const int ExitWaitFailed = 3;

        /// <summary>Online this long without the status topic's "online" reaching the peer (status off, or the
        /// peer not connected) counts as ready for a script anyway.</summary>
        private const int ReadyWithoutStatusMs = 1500;

        private readonly SimulatorArgs _args;
        private readonly Terminal _terminal;
        private readonly CancellationTokenSource _quit = new CancellationTokenSource();
        private readonly BlockingCollection<string> _input = new BlockingCollection<string>();
        private EmbeddedBroker _broker;
        private WebServer _web;
        private AppBuilderPage _page;
        private AppBuilderSide _peer;
        private MqttNetTransport _transport;
        private Device _device;
        private Thread _loop;
        private PosixSignalRegistration _sigterm;
        private bool _stopped;

        public Simulation(SimulatorArgs args, TextWriter output)
        {
            _args = args;
            _terminal = new Terminal(output);
        }

        public int Run(TextReader input, bool script)
        {
            Console.CancelKeyPress += OnCancelKey;
            if (!OperatingSystem.IsWindows())
                _sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; _quit.Cancel(); });

            _terminal.Sim("IotyDevice simulator: the firmware's core on this PC, no board" + (script ? " (script mode)" : "; type help for the commands"));
            _page = _args.NoWeb ? null : new AppBuilderPage(_terminal);
            ISettingsSource settings = _args.SettingsPath == null ? StartEmbeddedBroker() : SettingsFile();
            if (settings == null) return ExitCannotStart;
            if (_page != null && _web != null)
                _terminal.Sim("App Builder page: http://localhost:" + _web.Port + "/ (open it in a browser: Switch, Display, status lamp, monitor, BOOT)");

            var wakeup = new Wakeup();
            var network = new SimulatedNetwork(SimulatedMac, wakeup);
            var button = new SimulatedButton(wakeup);
            var options = new DeviceOptions();
            var clock = new SystemClock();
            var light = new IotyDevice.Host.Light.SimulatedStatusLight(clock);
            // The adapter's own trace: faults of fire-and-forget calls (it stays quiet about those its Close cut short).
            _transport = new MqttNetTransport(10000, _terminal.Sim);
            var ports = new DevicePorts
            {
                Network = network,
                Mqtt = _transport,
                Button = button,
                Clock = clock,
                Monitor = _terminal.Monitor,
                Settings = settings,
                Light = light,
                // A pin the lesson switches shows as a [pin] line: the LED you would see on the board.
                Pins = new SimulatedPins(line => _terminal.Monitor.WriteLine("[pin] " + line)),
            };
            _device = new Device(ports, options, wakeup, new Lesson());
            _terminal.Sim(_args.Board.Line(SimulatedMac));

            // The App Builder's side connects first, so it already listens when the device comes online.
            LessonTopics topics = LessonTopics.Of(new Lesson());
            _peer = new AppBuilderSide(settings, ChipId.FromMac(SimulatedMac), topics.PressTopic, _terminal);
            _peer.Start();
            _peer.WaitFirstAttempt(TimeSpan.FromSeconds(6));

            _loop = new Thread(RunDevice) { IsBackground = true, Name = "device loop" };
            _loop.Start();
            var reader = new Thread(() => ReadInput(input)) { IsBackground = true, Name = "stdin" };
            reader.Start();

            var commands = new Commands(_terminal, _peer, network, button, options.DebounceMs, TimeSpan.FromSeconds(_args.TimeoutSeconds), _quit.Token);
            commands.Light = light;
            if (_page != null)
            {
                string problem;
                // The page's topics are the lesson's; its broker and status topic the settings' (the defaults while they are to be fixed).
                DeviceSettings current = settings.Read(out problem) ?? new DeviceSettings();
                _page.Attach(current, topics, ChipId.FromMac(SimulatedMac), _peer, commands);
            }
            string last;
            int code = script ? RunScript(commands, out last) : RunInteractive(commands, out last);
            Stop();
            if (last != null) _terminal.Sim(last);
            return code;
        }

        private ISettingsSource StartEmbeddedBroker()
        {
            string dir = Path.GetFullPath(_args.StateDir ?? DevCertificates.DefaultDirectory());
            DevCertificates files;
            try
            {
                files = DevCertificates.LoadOrCreate(dir);
            }
            catch (Exception e)
            {
                _terminal.Sim("cannot prepare the development CA in " + dir + ": " + e.Message);
                return null;
            }
            _terminal.Sim("development CA: " + AsTyped(files.CaPath) + (files.MadeBecause == null ? " (kept from an earlier run" : " (made now: " + files.MadeBecause)
                + "; valid until " + files.ExpiresUtc.ToString("yyyy-MM-dd") + ")");
            try
            {
                _broker = EmbeddedBroker.Start(_args.Port, files, _terminal.Sim);
            }
            catch (InvalidOperationException e)
            {
                _terminal.Sim(e.Message);
                return null;
            }
            StartWeb(_broker.WebSockets);
            string webSockets = _web == null ? "" : " and ws://localhost:" + _web.Port + WebServer.MqttPath + " (WebSockets, for the App Builder in a browser)";
            _terminal.Sim("embedded broker: mqtts://localhost:" + _broker.Port + " (TLS, the board's way in" + (_broker.Port != _args.Port && _args.Port != 0 ? "; port " + _args.Port + " was taken" : "")
                + ")" + webSockets + ", user " + DevCertificates.UserName + ", password " + files.Password);
            return new BuiltInSettings(_broker.Port, files, _args.Board);
        }

        /// <summary>The web server: MQTT over WebSockets for the embedded broker, and the page unless --no-web. A web
        /// server that cannot start is reported; the board and the terminal work without it.</summary>
        private void StartWeb(MqttListener webSockets)
        {
            if (webSockets == null && _page == null) return;
            try
            {
                _web = WebServer.Start(_args.WebPort, webSockets, _page, _args.AllowedOrigins);
                if (_args.WebPort != 0 && _web.Port != _args.WebPort) _terminal.Sim("web: port " + _args.WebPort + " was taken; using " + _web.Port);
            }
            catch (InvalidOperationException e)
            {
                _terminal.Sim(e.Message + "; carrying on without the page and WebSockets");
                _page = null;
            }
        }

        /// <summary>A path as the learner would type it: relative to where the simulator was started when it lies
        /// below that folder (".simulator/ca.pem" in a clone), else absolute.</summary>
        private static string AsTyped(string path)
        {
            string relative = Path.GetRelativePath(Directory.GetCurrentDirectory(), path);
            return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? path : relative;
        }

        private ISettingsSource SettingsFile()
        {
            string path = Path.GetFullPath(_args.SettingsPath);
            _terminal.Sim("settings: " + path + " (the broker named there; no embedded broker)");
            StartWeb(null);
            return new JsonSettingsFile(path);
        }

        private void RunDevice()
        {
            try
            {
                _device.Run();
            }
            catch (Exception e)
            {
                // Run() keeps going through step failures itself; this would be a bug in the core.
                // Line by line: one Sim line cannot hold a line break (it would be replaced).
                foreach (string line in ("the device loop crashed: " + e).Split('\n')) _terminal.Sim(line.TrimEnd('\r'));
            }
        }

        private void ReadInput(TextReader input)
        {
            try
            {
                string line;
                while ((line = input.ReadLine()) != null) _input.Add(line);
            }
            catch (Exception e) when (e is IOException || e is ObjectDisposedException)
            {
                // A closed stdin is the end of the input.
            }
            _input.CompleteAdding();
        }

        /// <summary>The next input line, or null at the end of the input or on Ctrl+C.</summary>
        private string NextLine()
        {
            try
            {
                string line;
                return _input.TryTake(out line, Timeout.Infinite, _quit.Token) ? line : null;
            }
            catch (OperationCanceledException)
            {
                return null;
            }
        }

        private int RunInteractive(Commands commands, out string last)
        {
            last = "stopped";
            string line;
            while ((line = NextLine()) != null)
            {
                if (commands.Execute(line, false) == Commands.Outcome.Quit) break;
            }
            return ExitOk;
        }

        /// <summary>Script mode: the lines run once the device is online (connected and subscribed), so a script
        /// never races the connection; then each line in turn; then exit.</summary>
        private int RunScript(Commands commands, out string last)
        {
            string why = WaitUntilReady();
            if (why != null)
            {
                last = why + "; exit code " + ExitNotConnected;
                return ExitNotConnected;
            }
            _terminal.Sim("the device is online; running the script");
            string line;
            while ((line = NextLine()) != null)
            {
                Commands.Outcome outcome = commands.Execute(line, true);
                if (outcome == Commands.Outcome.Quit) break;
                if (outcome == Commands.Outcome.WaitFailed)
                {
                    last = commands.LastFailure + "; exit code " + ExitWaitFailed;
                    return ExitWaitFailed;
                }
            }
            last = (_quit.IsCancellationRequested ? "stopped" : "script done") + "; exit code " + ExitOk;
            return ExitOk;
        }

        /// <summary>Null once the device is connected and subscribed, else why not.</summary>
        private string WaitUntilReady()
        {
            Stopwatch clock = Stopwatch.StartNew();
            TimeSpan timeout = TimeSpan.FromSeconds(_args.TimeoutSeconds);
            long onlineSinceMs = -1;
            while (true)
            {
                ConnectionState state = _device.State;
                if (state == ConnectionState.SettingsInvalid)
                    return "the settings have problems (listed above), so the device does not connect";
                if (state == ConnectionState.Online)
                {
                    if (onlineSinceMs < 0) onlineSinceMs = clock.ElapsedMilliseconds;
                    // The device says "online" on its status topic right after SUBSCRIBE: once the peer has that,
                    // the broker has the subscription and a `pub topic1 ...` reaches the device.
                    if (_peer.DeviceOnlineSeen || clock.ElapsedMilliseconds - onlineSinceMs >= ReadyWithoutStatusMs) return null;
                }
                else
                {
                    onlineSinceMs = -1;
                }
                if (clock.Elapsed > timeout)
                    return "the device did not connect to the broker within " + _args.TimeoutSeconds + " s (see the lines above)";
                if (_quit.Token.WaitHandle.WaitOne(20))
                    return "stopped before the device connected";
            }
        }

        private void OnCancelKey(object sender, ConsoleCancelEventArgs e)
        {
            e.Cancel = true; // stop cleanly below instead of being killed
            _quit.Cancel();
        }

        /// <summary>Stops everything within about a second: the web server, the peer, the device loop (it closes
        /// its MQTT connection), then the broker.</summary>
        private void Stop()
        {
            if (_stopped) return;
            _stopped = true;
            _quit.Cancel();
            // The App Builder side leaves first: the board's goodbye (its offline status, its will) is not news on quit.
            if (_web != null) _web.Dispose();
            if (_peer != null) _peer.Dispose();
            if (_device != null && _loop != null)
            {
                _device.Stop();
                // A loop inside a blocking connect attempt cannot return at once; it is a background thread.
                _loop.Join(TimeSpan.FromMilliseconds(700));
            }
            if (_broker != null) _broker.Dispose();
            _web = null;
            _peer = null;
            _broker = null;
        }

        public void Dispose()
        {
            Stop();
            Console.CancelKeyPress -= OnCancelKey;
            if (_sigterm != null) _sigterm.Dispose();
        }
    }
}
