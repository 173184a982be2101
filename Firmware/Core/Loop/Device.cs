using System;
using System.Collections;

namespace IotyDevice.Core
{
    /// <summary>The firmware: joins WiFi, waits for the clock, connects MQTT over TLS, subscribes to the lesson's topics
    /// and hands the lesson (Firmware/Lesson.cs) each message and each BOOT press, reconnecting with backoff when
    /// anything drops.
    /// Everything happens on the thread that calls <see cref="Step"/>; the MQTT library's threads only fill the
    /// <see cref="Inbox"/>, queue acks and raise a flag. The lesson's publishes (a press's too) go through the <see cref="Outbox"/>.</summary>
    public class Device
    {
        private static readonly DateTime ClockValidFrom = new DateTime(2024, 1, 1);
        private const int ButtonChangesPerPass = 32;

        private readonly DevicePorts _ports;
        private readonly DeviceOptions _options;
        private readonly Wakeup _wakeup;
        private readonly Inbox _inbox;
        private readonly MessageLine _line;
        private readonly Backoff _wifiBackoff;
        private readonly Backoff _mqttBackoff;

        // The lesson (Firmware/Lesson.cs): what to subscribe, what a message and a press do.
        private readonly LessonRunner _lesson;
        private readonly Subscriptions _subscriptions = new Subscriptions();
        private string _publishLabel;
        private readonly ConnectionCloser _closer;
        private readonly MonitorMirror _mirror; // every printed line goes through it (setting MonitorTopic)
        private readonly StatusLight _light;     // the LED's pattern (setting StatusLedPin)

        private DeviceSettings _settings;
        private string _settingsReport;
        private long _settingsRetryAtMs;
        private string _statusTopic;
        private string _chipId;
        private string _clientId;

        private BootButton _button;
        private int _buttonPin;
        private readonly long[] _buttonChangeMs = new long[ButtonChangesPerPass];
        private readonly bool[] _buttonChangeDown = new bool[ButtonChangesPerPass];
        private readonly Outbox _outbox;

        private ConnectionState _state;
        private ConnectionState _retryState;
        private long _retryAtMs;
        private long _nextClockCheckMs;
        private bool _clockWaitReported;
        private long _onlineSinceMs;
        // The transport's number of the connection the loop is using (0: none). Written by the loop, read by the
        // library's threads to tell a late event of a closed connection from news about the current one.
        private int _connection;
        private readonly Flag _connectionLost = new Flag();
        private string _lastFailure;
        private int _failureRepeats;

        private int _reportedDrops;
        private long _lastDropReportMs;
        private readonly Flag _stopRequested = new Flag();

        /// <summary>A device running the lesson in Firmware/Lesson.cs.</summary>
        public Device(DevicePorts ports, DeviceOptions options, Wakeup wakeup)
            : this(ports, options, wakeup, new Lesson())
        {
        }

        public Device(DevicePorts ports, DeviceOptions options, Wakeup wakeup, ILesson lesson)
        {
            _ports = ports;
            _options = options;
            _wakeup = wakeup;
            _inbox = new Inbox(options.InboxCapacity, options.InboxKeepWaitMs);
            _line = new MessageLine(options.MaxPayloadChars);
            _mirror = new MonitorMirror(ports.Monitor, ports.Clock, options.MonitorMirrorLines, options.MonitorMirrorIntervalMs, _line.Chars.Length);
            _light = new StatusLight(ports.Light, ports.Clock);
            Random random = options.Random != null ? options.Random : new Random();
            _wifiBackoff = new Backoff(options.BackoffBaseMs, options.BackoffCapMs, random);
            _mqttBackoff = new Backoff(options.BackoffBaseMs, options.BackoffCapMs, random);
            _closer = new ConnectionCloser(ports.Mqtt, _mirror, options.CloseQuietMs, options.CloseLimitMs);
            _outbox = new Outbox(ports.Mqtt, _mirror, options.OutboxCapacity);
            _ports.Mqtt.SetListener(new TransportEvents(this));
            Board board = new Board(_mirror, _line, new LessonPublishes(this), ports.Pins);
            _lesson = new LessonRunner(lesson, board, ports.Clock, _mirror, options.SlowLessonMs);
        }

        public ConnectionState State { get { return _state; } }

        /// <summary>The MQTT client ID (prefix + chip ID), or null until the first connect attempt.</summary>
        public string ClientId { get { return _clientId; } }

        public int DroppedMessages { get { return _inbox.Dropped; } }

        public int InboxCount { get { return _inbox.Count; } }

        /// <summary>Publishes kept until the broker confirms them (see <see cref="Outbox"/>).</summary>
        public int UnconfirmedPublishes { get { return _outbox.Count; } }

        /// <summary>Publishes sent again after a drop; each may have reached the subscribers twice.</summary>
        public int ResentPublishes { get { return _outbox.Resent; } }

        /// <summary>Samples the button and reads the settings; call once before <see cref="Step"/>.</summary>
        public void Start()
        {
            long now = _ports.Clock.NowMs;
            Print("IotyDevice: starting");
            if (_options.Runtime != null) Print("Runtime: " + _options.Runtime);
            // The settings may name another pin (BootButtonPin); until they are read, BOOT of an ESP32 DevKit.
            OpenButton(DeviceSettings.DefaultBootButtonPin, now);
            TryChipId();
            LoadSettings(now);
        }

        /// <summary>Opens the button on <paramref name="pin"/> and takes its level as the start: a button already
        /// down (held through reset: BOOT is also a strapping pin) counts only once it has been released.</summary>
        private void OpenButton(int pin, long now)
        {
            try
            {
                _ports.Button.Open(pin);
            }
            catch (Exception e)
            {
                // Validation refuses pins no ESP32 can read; this is what is left (a pin the board itself holds).
                Print("BOOT: GPIO" + pin.ToString() + " cannot be opened as an input (" + e.Message + "); check BootButtonPin");
            }

            _buttonPin = pin;
            // Changes latched before now belong to the level read below.
            _ports.Button.TakeChanges(_buttonChangeMs, _buttonChangeDown);
            bool down = _ports.Button.IsDown;
            _button = new BootButton(_options.DebounceMs, down, now);
            if (down)
            {
                Print("BOOT: held at start-up; ignored until released");
            }
        }

        /// <summary>Runs until <see cref="Stop"/>: steps, then sleeps until the next deadline or an event.</summary>
        public void Run()
        {
            Start();
            while (!_stopRequested.IsSet)
            {
                int waitMs;
                try
                {
                    waitMs = Step();
                }
                catch (Exception e)
                {
                    // Nothing a broker, a payload or an adapter does may end the loop.
                    Print("Error: " + e.Message + " (the device carries on)");
                    waitMs = _options.IdleWaitMs;
                }

                if (waitMs > 0)
                {
                    _wakeup.Wait(waitMs);
                }
            }

            SayOfflineAndClose();
        }

        /// <summary>Asks <see cref="Run"/> to return; callable from any thread.</summary>
        public void Stop()
        {
            _stopRequested.Set();
            _wakeup.Set();
        }

        /// <summary>One pass of the loop: messages first, then the button, then the connection.
        /// Returns how many milliseconds may pass before the next pass is needed.</summary>
        public int Step()
        {
            long now = _ports.Clock.NowMs;
            PumpInbox();
            ReportDrops(now);
            ReportSubscription();
            int changes = _ports.Button.TakeChanges(_buttonChangeMs, _buttonChangeDown);
            for (int presses = _button.Feed(_buttonChangeMs, _buttonChangeDown, changes, now); presses > 0; presses--)
            {
                OnBootPress();
            }

            if (_closer.Poll(now))
            {
                Supervise(now); // never while a close waits for the library to hand over what it acknowledged
            }

            if (_state != ConnectionState.Online || _connectionLost.IsSet)
            {
                // A loss the library has reported but the loop has not acted on yet counts as offline (also one
                // seen in this very pass): what is handed to a closed connection is lost while the monitor says "sent".
                _outbox.Close();
            }

            int sent = _outbox.Sent;
            if (!_outbox.Pump())
            {
                _connectionLost.Set();
            }

            if (_outbox.Sent != sent)
            {
                _light.PressSent();
            }

            if (_state == ConnectionState.Online && !_connectionLost.IsSet)
            {
                _mirror.Pump(_ports.Mqtt);
            }

            int lightMs = _light.Show(_state == ConnectionState.WaitingToRetry ? _retryState : _state,
                                      _settings != null ? _settings.StatusLedPin : DeviceSettings.DefaultStatusLedPin);
            int waitMs = MsUntilNextStep(now);
            return lightMs < waitMs ? lightMs : waitMs;
        }

        private void PumpInbox()
        {
            string topic;
            byte[] payload;
            _publishLabel = "Lesson";
            for (int i = 0; i < _inbox.Capacity && _inbox.TryTake(out topic, out payload); i++)
            {
                _lesson.OnMessage(topic, payload);
                _light.MessageReceived();
            }
        }

        private void ReportDrops(long now)
        {
            int dropped = _inbox.Dropped;
            if (dropped == _reportedDrops || (_reportedDrops > 0 && now - _lastDropReportMs < _options.DropReportIntervalMs))
            {
                return;
            }

            Print("Inbox: " + dropped.ToString() + " messages dropped so far (they arrive faster than they print; the inbox holds "
                  + _inbox.Capacity.ToString() + "; the oldest QoS 0 ones go first)");
            _reportedDrops = dropped;
            _lastDropReportMs = now;
        }

        private void OnBootPress()
        {
            if (_settings == null)
            {
                Print("BOOT: pressed, but nothing can be sent until the settings are fixed (see above)");
                return;
            }

            _publishLabel = "BOOT";
            _lesson.OnBootPress();
        }

        /// <summary>Every publish of the lesson (a BOOT press is one) goes through the outbox: the same offline and
        /// at-least-once handling for all. Its lines are labelled by who asked: "BOOT: sent hello to topic2".</summary>
        private void Send(string topic, byte[] payload, string text, int qos, bool retain)
        {
            _outbox.Add(_publishLabel, text != null ? text : "(" + payload.Length.ToString() + " bytes)", topic, payload, qos, retain);
        }

        private void ReportSubscription()
        {
            string line;
            while ((line = _subscriptions.NextReport(_connection)) != null)
            {
                Print(line);
            }
        }

        private void Supervise(long now)
        {
            switch (_state)
            {
                case ConnectionState.SettingsInvalid:
                    if (now - _settingsRetryAtMs >= 0)
                    {
                        LoadSettings(now);
                    }

                    break;

                case ConnectionState.JoiningWifi:
                    JoinWifi();
                    break;

                case ConnectionState.WaitingForClock:
                    if (!_ports.Network.IsUp)
                    {
                        OnWifiLost();
                    }
                    else if (_ports.Clock.UtcNow >= ClockValidFrom)
                    {
                        _state = ConnectionState.ConnectingMqtt;
                    }
                    else if (now - _nextClockCheckMs >= 0)
                    {
                        if (!_clockWaitReported)
                        {
                            Print("Clock: waiting for network time (TLS checks certificate dates)");
                            _clockWaitReported = true;
                        }

                        _nextClockCheckMs = now + _options.ClockCheckMs;
                    }

                    break;

                case ConnectionState.ConnectingMqtt:
                    // Connecting blocks; never while received messages still wait to be printed.
                    if (_inbox.Count == 0)
                    {
                        ConnectMqtt(now);
                    }

                    break;

                case ConnectionState.Online:
                    if (!_ports.Network.IsUp)
                    {
                        CloseQuietly();
                        ResetMqttBackoffIfStable(now);
                        OnWifiLost();
                    }
                    else if (_connectionLost.IsSet)
                    {
                        CloseQuietly();
                        ResetMqttBackoffIfStable(now);

                        _lastFailure = null;
                        Print("MQTT: connection lost; reconnecting");
                        RetryLater(_mqttBackoff, ConnectionState.ConnectingMqtt, now, "MQTT:");
                    }

                    break;

                case ConnectionState.WaitingToRetry:
                    if (_retryState == ConnectionState.ConnectingMqtt && !_ports.Network.IsUp)
                    {
                        // No MQTT retry can work without WiFi: rejoin now rather than fail at the retry time.
                        OnWifiLost();
                    }
                    else if (now - _retryAtMs >= 0)
                    {
                        _state = _retryState;
                    }

                    break;
            }
        }

        private void JoinWifi()
        {
            if (_ports.Network.IsUp)
            {
                EnterWaitingForClock();
                return;
            }

            Print("WiFi: connecting to " + _settings.WifiSsid + "...");
            WifiConnectStatus status;
            string detail = null;
            try
            {
                // The configuration lives in flash: write it only when the settings changed, so a day of retries
                // without the access point costs no flash wear.
                if (!_ports.Network.IsStored(_settings.WifiSsid, _settings.WifiPassword))
                {
                    _ports.Network.Store(_settings.WifiSsid, _settings.WifiPassword);
                }

                status = _ports.Network.Connect();
            }
            catch (Exception e)
            {
                status = WifiConnectStatus.Failed;
                detail = e.Message;
            }

            if (status == WifiConnectStatus.Connected)
            {
                Print("WiFi: connected");
                _wifiBackoff.Reset();
                _lastFailure = null;
                EnterWaitingForClock();
                return;
            }

            ScannedNetwork[] scan = null;
            if (WifiDiagnosis.NeedsScan(status))
            {
                try
                {
                    scan = _ports.Network.Scan();
                }
                catch (Exception)
                {
                    // The diagnosis says less without a scan, but still says it.
                }
            }

            Fail(WifiDiagnosis.Describe(_settings.WifiSsid, status, scan, detail), _wifiBackoff, ConnectionState.JoiningWifi);
        }

        private void EnterWaitingForClock()
        {
            _clockWaitReported = false;
            _nextClockCheckMs = _ports.Clock.NowMs;
            _state = ConnectionState.WaitingForClock;
        }

        private void OnWifiLost()
        {
            Print("WiFi: connection lost; reconnecting");
            _state = ConnectionState.JoiningWifi;
        }

        /// <summary>A connection that stayed up long enough was healthy, however it was lost: the next
        /// failure starts the MQTT backoff afresh.</summary>
        private void ResetMqttBackoffIfStable(long now)
        {
            if (now - _onlineSinceMs >= _options.StableConnectionMs)
            {
                _mqttBackoff.Reset();
            }
        }

        private void ConnectMqtt(long now)
        {
            if (!_ports.Network.IsUp)
            {
                OnWifiLost();
                return;
            }

            if (!TryChipId())
            {
                Fail("MQTT: the WiFi MAC address (the chip ID) is unknown; is this an ESP32 with WiFi?", _mqttBackoff, ConnectionState.ConnectingMqtt);
                return;
            }

            _clientId = _settings.ClientIdPrefix + _chipId;
            _statusTopic = _settings.StatusTopic == null || _settings.StatusTopic.Length == 0
                ? null
                : TopicTemplate.Expand(_settings.StatusTopic, _clientId);
            _mirror.SetTopic(_settings.MonitorTopic == null ? null : TopicTemplate.Expand(_settings.MonitorTopic, _clientId));
            Print("MQTT: connecting to " + _settings.BrokerHost + ":" + _settings.BrokerPort.ToString() + " as " + _clientId + "...");
            _connectionLost.Clear();
            ConnectResult result;
            try
            {
                result = _ports.Mqtt.Connect(BuildConnectRequest());
            }
            catch (MqttTransportException e)
            {
                CloseQuietly();
                Fail(FailureText.ForFault(e, _settings.BrokerHost, _settings.BrokerPort), _mqttBackoff, ConnectionState.ConnectingMqtt);
                return;
            }
            catch (Exception e)
            {
                CloseQuietly();
                Fail("MQTT: connecting failed (" + e.Message + ")", _mqttBackoff, ConnectionState.ConnectingMqtt);
                return;
            }

            if (!result.IsAccepted)
            {
                CloseQuietly();
                Fail(FailureText.ForRefusal(result.Code), _mqttBackoff, ConnectionState.ConnectingMqtt);
                return;
            }

            System.Threading.Interlocked.Exchange(ref _connection, result.Connection);
            _lastFailure = null;
            Print(result.SessionPresent
                ? "MQTT: connected (session resumed: messages the broker kept will follow)"
                : "MQTT: connected (new session)");
            try
            {
                // The lesson's topics; the SUBACKs say whether they were granted (ReportSubscription).
                _subscriptions.SubscribeAll(_ports.Mqtt);

                if (_statusTopic != null)
                {
                    _ports.Mqtt.Publish(_statusTopic, Utf8.Encode("online"), 1, true);
                }
            }
            catch (Exception e)
            {
                Print("MQTT: subscribing failed (" + e.Message + ")");
                _connectionLost.Set();
            }

            _onlineSinceMs = now;
            _state = ConnectionState.Online;
            // What the outbox keeps goes out at the end of this pass, unless this connection is lost by then.
            _outbox.Open(result.Connection);
        }

        private MqttConnectRequest BuildConnectRequest()
        {
            MqttConnectRequest request = new MqttConnectRequest();
            request.Host = _settings.BrokerHost;
            request.Port = _settings.BrokerPort;
            request.ClientId = _clientId;
            request.Username = _settings.BrokerUsername;
            request.Password = _settings.BrokerPassword;
            request.CaCertificate = _settings.CaCertificate;
            // A persistent session: QoS 1 messages sent while the board was away are kept by the broker.
            request.CleanSession = false;
            request.KeepAliveSeconds = _settings.KeepAliveSeconds;
            if (_statusTopic != null)
            {
                request.WillTopic = _statusTopic;
                request.WillPayload = Utf8.Encode("offline");
                request.WillQos = 1;
                request.WillRetain = true;
            }

            return request;
        }

        /// <summary>Reports a failure once in full; a repeat of the same one gets a short line.</summary>
        private void Fail(string text, Backoff backoff, ConnectionState retryState)
        {
            string tag = text.Substring(0, text.IndexOf(':') + 1);
            if (text != _lastFailure)
            {
                _lastFailure = text;
                _failureRepeats = 1;
                Print(text);
            }
            else
            {
                _failureRepeats++;
                Print(tag + " still failing the same way (" + _failureRepeats.ToString() + " tries)");
            }

            RetryLater(backoff, retryState, _ports.Clock.NowMs, tag);
        }

        private void RetryLater(Backoff backoff, ConnectionState retryState, long now, string tag)
        {
            int delayMs = backoff.NextDelayMs();
            Print(tag + " next try in " + Seconds(delayMs) + " s");
            _retryState = retryState;
            _retryAtMs = now + delayMs;
            _state = ConnectionState.WaitingToRetry;
        }

        private void LoadSettings(long now)
        {
            string report;
            DeviceSettings settings = SettingsCheck.Read(_ports.Settings, out report);
            if (settings != null)
            {
                Accept(settings);
                return;
            }

            // Print a problem once, not every retry; a learner's edit that changes it shows the new state.
            if (report != _settingsReport)
            {
                _settingsReport = report;
                string[] lines = report.Split('\n');
                for (int i = 0; i < lines.Length; i++)
                {
                    Print(lines[i]);
                }

                Print("Settings: waiting; fix them and the device picks them up within " + Seconds(_options.SettingsRetryMs) + " s");
            }

            _settingsRetryAtMs = now + _options.SettingsRetryMs;
            _state = ConnectionState.SettingsInvalid;
        }

        private void Accept(DeviceSettings settings)
        {
            if (_settingsReport != null)
            {
                Print("Settings: OK now");
            }

            // Said once, when the settings are taken: they work, but the learner should know (strapping pins).
            ArrayList warnings = SettingsValidator.Warnings(settings);
            for (int i = 0; i < warnings.Count; i++)
            {
                Print("Settings: warning: " + (string)warnings[i]);
            }

            _settings = settings;
            if (settings.BootButtonPin != _buttonPin)
            {
                OpenButton(settings.BootButtonPin, _ports.Clock.NowMs);
            }

            _subscriptions.SetTopics(_lesson.Topics(settings));
            _state = ConnectionState.JoiningWifi;
        }

        /// <summary>Reads the chip ID once; some boards only report the MAC after WiFi has started.</summary>
        private bool TryChipId()
        {
            if (_chipId != null)
            {
                return true;
            }

            byte[] mac = _ports.Network.MacAddress;
            if (mac == null || mac.Length != ChipId.MacLength)
            {
                return false;
            }

            _chipId = ChipId.FromMac(mac);
            Print("Chip ID: " + _chipId);
            return true;
        }

        private int MsUntilNextStep(long now)
        {
            if (_inbox.Count > 0)
            {
                return 0;
            }

            long wait = _options.IdleWaitMs;
            switch (_state)
            {
                case ConnectionState.JoiningWifi:
                case ConnectionState.ConnectingMqtt:
                    wait = 0;
                    break;
                case ConnectionState.WaitingForClock:
                    wait = _nextClockCheckMs - now;
                    break;
                case ConnectionState.WaitingToRetry:
                    wait = _retryAtMs - now;
                    break;
                case ConnectionState.SettingsInvalid:
                    wait = _settingsRetryAtMs - now;
                    break;
            }

            if (_closer.IsPending)
            {
                wait = _closer.MsUntilDue(now); // the state waits until the close is done
            }

            int settle = _button.MsUntilSettled(now);
            if (settle >= 0 && settle < wait)
            {
                wait = settle;
            }

            if (wait > _options.IdleWaitMs)
            {
                wait = _options.IdleWaitMs;
            }

            return wait < 0 ? 0 : (int)wait;
        }

        private void SayOfflineAndClose()
        {
            if (_state == ConnectionState.Online && _statusTopic != null)
            {
                try
                {
                    // Said as well as the will (M2Mqtt's Close sends no DISCONNECT, so the broker publishes it
                    // anyway): the orderly close below gives this PUBLISH time to leave.
                    _ports.Mqtt.Publish(_statusTopic, Utf8.Encode("offline"), 1, true);
                }
                catch (Exception)
                {
                    // Closing anyway; the broker's copy of the status stays as it was.
                }
            }

            CloseQuietly();

            // The loop has stopped: finish the orderly close here, still printing what the library hands over.
            long started = _ports.Clock.NowMs;
            long waited = 0;
            while (true)
            {
                PumpInbox();
                long now = _ports.Clock.NowMs;
                if (now < started + waited)
                {
                    now = started + waited; // a clock that stands still must not hold the stop
                }
                if (_closer.Poll(now))
                {
                    break;
                }

                int waitMs = (int)_closer.MsUntilDue(now) + 1;
                _wakeup.Wait(waitMs);
                waited += waitMs;
            }
        }

        /// <summary>Closes the current connection. One the library still thinks is open may hold acknowledged
        /// messages: it is closed once they are handed over (see <see cref="ConnectionCloser"/>).</summary>
        private void CloseQuietly()
        {
            int connection = System.Threading.Interlocked.Exchange(ref _connection, 0);
            _outbox.Close();
            if (connection != 0 && !_connectionLost.IsSet)
            {
                _closer.CloseWhenQuiet(_ports.Clock.NowMs);
            }
            else
            {
                _closer.CloseNow();
            }
        }

        private void Print(string line)
        {
            _mirror.WriteLine(line);
        }

        private static string Seconds(int ms)
        {
            return (ms / 1000).ToString() + "." + (ms / 100 % 10).ToString();
        }

        /// <summary>The lesson's Board publishes through the device's own path (on the main loop).</summary>
        private class LessonPublishes : ILessonPublisher
        {
            private readonly Device _device;

            public LessonPublishes(Device device)
            {
                _device = device;
            }

            public void Publish(string topic, byte[] payload, string text, int qos, bool retain)
            {
                _device.Send(topic, payload, text, qos, retain);
            }
        }

        /// <summary>Runs on the MQTT library's threads: records and wakes, nothing more.</summary>
        private class TransportEvents : IMqttListener
        {
            private readonly Device _device;

            public TransportEvents(Device device)
            {
                _device = device;
            }

            public void OnMessage(string topic, byte[] payload, int qos)
            {
                _device._inbox.Put(topic, payload, qos > 0);
                _device._closer.CountArrival();
                _device._wakeup.Set();
            }

            public void OnSubscribed(int connection, int messageId, int grantedQos)
            {
                _device._subscriptions.OnSubscribed(connection, messageId, grantedQos);
                _device._wakeup.Set();
            }

            public void OnPublished(int connection, int messageId, bool confirmed)
            {
                _device._outbox.OnPublished(connection, messageId, confirmed);
                _device._wakeup.Set();
            }

            public void OnConnectionClosed(int connection)
            {
                if (connection != System.Threading.Interlocked.CompareExchange(ref _device._connection, 0, 0))
                {
                    return; // a connection the loop has already closed and left behind
                }

                _device._connectionLost.Set();
                _device._wakeup.Set();
            }
        }
    }
}
