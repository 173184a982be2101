using System;
using System.Collections.Generic;
using System.IO;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using IotyDevice.Core;
using IotyDevice.Host.Mqtt;
using IotyDevice.Host.Settings;

namespace IotyDevice.Simulator
{
    /// <summary>`monitor`: the boards' monitor lines (MonitorTopic) and online/offline (StatusTopic), live, from the
    /// broker in the learner's settings.json, with its own client ID (never a board's: that would throw the board
    /// off). It reads and checks the settings, connects and reports failures exactly as the firmware does
    /// (SettingsValidator, MqttNetTransport, FailureText), and reconnects by itself once it has been connected.</summary>
    internal sealed class MonitorCommand : IMqttListener
    {
        public const int ExitOk = 0;
        public const int ExitUsage = 1;
        public const int ExitCannotWatch = 2;
        private const int RetryMs = 2000;

        private readonly MonitorArgs _args;
        private readonly TextWriter _output;
        private readonly object _gate = new object();
        private readonly Dictionary<string, string> _lastStatus = new Dictionary<string, string>();
        private readonly ManualResetEventSlim _quit = new ManualResetEventSlim(false);
        private readonly ManualResetEventSlim _lost = new ManualResetEventSlim(false);
        private readonly string _clientId = "ioty-monitor-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        private BoardTopic _monitor;
        private BoardTopic _status;
        private int _connection;
        private bool _certificateRefused;

        private MonitorCommand(MonitorArgs args, TextWriter output)
        {
            _args = args;
            _output = output;
        }

        public static int Run(MonitorArgs args, TextWriter output)
        {
            var command = new MonitorCommand(args, output);
            ConsoleCancelEventHandler onCancel = (sender, e) => { e.Cancel = true; command._quit.Set(); };
            Console.CancelKeyPress += onCancel;
            using (OperatingSystem.IsWindows() ? null
                : PosixSignalRegistration.Create(PosixSignal.SIGTERM, context => { context.Cancel = true; command._quit.Set(); }))
            {
                try
                {
                    return command.Watch();
                }
                finally
                {
                    Console.CancelKeyPress -= onCancel;
                }
            }
        }

        private int Watch()
        {
            ISettingsSource source = Source();
            if (source == null) return ExitCannotWatch;
            DeviceSettings s = ReadChecked(source);
            if (s == null) return ExitCannotWatch;

            _monitor = string.IsNullOrEmpty(s.MonitorTopic) ? null : new BoardTopic(s.MonitorTopic, s.ClientIdPrefix);
            _status = string.IsNullOrEmpty(s.StatusTopic) ? null : new BoardTopic(s.StatusTopic, s.ClientIdPrefix);
            if (_monitor == null)
            {
                Say("MonitorTopic is \"\" in " + source.Location + ", so the boards do not send their monitor; set it to \"{clientId}/monitor\" (and deploy that to the board)");
                return ExitCannotWatch;
            }

            var transport = new MqttNetTransport(10000);
            transport.SetListener(this);
            try
            {
                string failure = Connect(transport, s);
                if (failure != null)
                {
                    Say(failure);
                    if (_args.SettingsPath == null) Say(_certificateRefused ? NotTheSimulator(s) : "is the simulator running? dotnet run --project Host/IotyDevice.Simulator");
                    return ExitCannotWatch;
                }
                Say("watching " + s.BrokerHost + ":" + s.BrokerPort + " as " + _clientId + ": " + What() + "; Ctrl+C stops");

                while (WaitHandle.WaitAny(new[] { _quit.WaitHandle, _lost.WaitHandle }) == 1)
                {
                    Say("lost the connection to the broker; reconnecting every " + RetryMs / 1000 + " s");
                    string last = null;
                    while (!_quit.IsSet)
                    {
                        failure = Connect(transport, s);
                        if (failure == null)
                        {
                            Say("connected again");
                            break;
                        }
                        if (failure != last) Say(failure);
                        last = failure;
                        _quit.Wait(RetryMs);
                    }
                }
                Say("stopped");
                return ExitOk;
            }
            finally
            {
                transport.Close();
            }
        }

        private ISettingsSource Source()
        {
            if (_args.SettingsPath != null) return new JsonSettingsFile(Path.GetFullPath(_args.SettingsPath));
            string dir = Path.GetFullPath(_args.StateDir ?? DevCertificates.DefaultDirectory());
            try
            {
                // The same files the simulator made for its embedded broker (made now if it never ran).
                return new BuiltInSettings(_args.Port, DevCertificates.LoadOrCreate(dir), SimulatedBoard.For(EspPins.Esp32)); // pins do not matter to the monitor
            }
            catch (Exception e)
            {
                Say("cannot read the simulator's development CA in " + dir + ": " + e.Message);
                return null;
            }
        }

        /// <summary>The settings, or null having listed their problems as the firmware lists them.</summary>
        private DeviceSettings ReadChecked(ISettingsSource source)
        {
            string report;
            DeviceSettings s = SettingsReader.Read(source, out report);
            if (s != null) return s;
            foreach (string line in report.Split('\n')) Print(line);
            Say("fix the settings and run it again");
            return null;
        }

        /// <summary>Connects and subscribes; null, or the firmware's line for what went wrong.</summary>
        private string Connect(MqttNetTransport transport, DeviceSettings s)
        {
            var request = new MqttConnectRequest
            {
                Host = s.BrokerHost,
                Port = s.BrokerPort,
                ClientId = _clientId,
                Username = s.BrokerUsername,
                Password = s.BrokerPassword,
                CaCertificate = s.CaCertificate,
                CleanSession = true, // nothing to keep: the lines are QoS 0 and live
                KeepAliveSeconds = 30,
            };
            ConnectResult result;
            try
            {
                result = transport.Connect(request);
            }
            catch (MqttTransportException e)
            {
                _certificateRefused = e.Fault == TransportFault.Certificate;
                return FailureText.ForFault(e, s.BrokerHost, s.BrokerPort);
            }
            if (!result.IsAccepted) return FailureText.ForRefusal(result.Code);
            Interlocked.Exchange(ref _connection, result.Connection);
            _lost.Reset();
            try
            {
                transport.Subscribe(_monitor.Filter(_args.Board), 0);
                if (_status != null) transport.Subscribe(_status.Filter(_args.Board), 1);
            }
            catch (MqttNotConnectedException e)
            {
                return "MQTT: " + e.Message;
            }
            return null;
        }

        /// <summary>The hint when, without --settings, the broker on the port is someone else's (a system Mosquitto
        /// on 8883): the simulator then moved to a free port and printed it.</summary>
        private static string NotTheSimulator(DeviceSettings s)
        {
            return "localhost:" + s.BrokerPort + " is not the simulator's broker: its certificate does not chain to "
                + s.CaCertificate + ". The simulator prints its port (\"[sim] embedded broker: mqtts://localhost:<port>\"): "
                + "run the monitor with --port <port>";
        }

        private string What()
        {
            string which = _args.Board == null ? "every board" : "board " + _args.Board;
            return which + "'s monitor (" + _monitor.Filter(_args.Board) + ")"
                + (_status == null ? "" : " and online/offline (" + _status.Filter(_args.Board) + ")");
        }

        public void OnMessage(string topic, byte[] payload, int qos)
        {
            string text = Encoding.UTF8.GetString(payload);
            string chip = _monitor.ChipIdOf(topic);
            if (chip != null)
            {
                Print("[" + chip + "] " + text);
                return;
            }
            chip = _status == null ? null : _status.ChipIdOf(topic);
            if (chip == null) return;
            lock (_gate)
            {
                // Transitions only: a retained "online" and the live one after it are the same news.
                string last;
                if (_lastStatus.TryGetValue(chip, out last) && last == text) return;
                _lastStatus[chip] = text;
            }
            Print("[" + chip + "] " + text);
        }

        public void OnSubscribed(int connection, int messageId, int grantedQos)
        {
            if (grantedQos == ConnectResult.SubscriptionRefused)
                Say("the broker refused the subscription; check that BrokerUsername may read " + What());
        }

        public void OnPublished(int connection, int messageId, bool confirmed) { }

        public void OnConnectionClosed(int connection)
        {
            if (connection == Interlocked.CompareExchange(ref _connection, 0, 0)) _lost.Set();
        }

        private void Say(string text) { Print("[monitor] " + text); }

        /// <summary>One line: anyone who may publish on the broker can write the monitor topics, so control
        /// characters are replaced as the device replaces them in payloads.</summary>
        private void Print(string line)
        {
            lock (_gate)
            {
                _output.WriteLine(Utf8.Printable(line));
                _output.Flush();
            }
        }
    }
}
