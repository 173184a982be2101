using System;
using System.Collections;

namespace IotyDevice.Core
{
    /// <summary>The firmware: joins WiFi, waits for the clock, connects MQTT over TLS, prints what arrives on the
    /// subscribed topic and publishes once per BOOT press, reconnecting with backoff when anything drops.
    /// Everything happens on the thread that calls <see cref="Step"/>; the MQTT library's threads only fill the
    /// <see cref="Inbox"/> and raise a flag.</summary>
    public class Device
    {
        private static readonly DateTime ClockValidFrom = new DateTime(2024, 1, 1);

        private readonly DevicePorts _ports;
        private readonly DeviceOptions _options;
        private readonly Wakeup _wakeup;
        private readonly Inbox _inbox;
        private readonly MessageLine _line;
        private readonly Backoff _wifiBackoff;
        private readonly Backoff _mqttBackoff;
        private readonly ConnectionCloser _closer;

        private DeviceSettings _settings;
        private string _settingsReport;
        private long _settingsRetryAtMs;
        private byte[] _publishPayload;
        private string _statusTopic;
        private string _sentLine;
        private string _chipId;
        private string _clientId;

        private BootButton _button;
        private bool _pendingPress;

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

        public Device(DevicePorts ports, DeviceOptions options, Wakeup wakeup)
        {
            _ports = ports;
            _options = options;
            _wakeup = wakeup;
            _inbox = new Inbox(options.InboxCapacity, options.InboxKeepWaitMs);
            _line = new MessageLine(options.MaxPayloadChars);
            Random random = options.Random != null ? options.Random : new Random();
            _wifiBackoff = new Backoff(options.BackoffBaseMs, options.BackoffCapMs, random);
            _mqttBackoff = new Backoff(options.BackoffBaseMs, options.BackoffCapMs, random);
            _closer = new ConnectionCloser(ports.Mqtt, ports.Monitor, options.CloseQuietMs, options.CloseLimitMs);
            _ports.Mqtt.SetListener(new TransportEvents(this));
        }

        public ConnectionState State { get { return _state; } }

        /// <summary>The MQTT client ID (prefix + chip ID), or null until the first connect attempt.</summary>
        public string ClientId { get { return _clientId; } }

        public int DroppedMessages { get { return _inbox.Dropped; } }

        public int InboxCount { get { return _inbox.Count; } }

        /// <summary>Samples the button and reads the settings; call once before <see cref="Step"/>.</summary>
        public void Start()
        {
            long now = _ports.Clock.NowMs;
            Print("IotyDevice: starting");
            bool downAtStart = _ports.Button.IsDown;
            _button = new BootButton(_options.DebounceMs, downAtStart, now);
            if (downAtStart)
            {
                Print("BOOT: held at start-up; ignored until released");
            }

            TryChipId();
            LoadSettings(now);
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
            if (_button.Sample(_ports.Button.IsDown, now))
            {
                OnBootPress();
            }

            if (_closer.Poll(now))
            {
                Supervise(now); // never while a close waits for the library to hand over what it acknowledged
            }

            return MsUntilNextStep(now);
        }

        private void PumpInbox()
        {
            string topic;
            byte[] payload;
            for (int i = 0; i < _inbox.Capacity && _inbox.TryTake(out topic, out payload); i++)
            {
                int length = _line.Format(topic, payload);
                _ports.Monitor.WriteLine(_line.Chars, length);
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
            // A loss the library has reported but the loop has not acted on yet counts as offline: a publish
            // handed to a closed connection would be lost while the monitor said "sent".
            if (_state == ConnectionState.Online && !_connectionLost.IsSet)
            {
                PublishHello();
            }
            else if (_settings == null)
            {
                Print("BOOT: pressed, but nothing can be sent until the settings are fixed (see above)");
            }
            else if (_pendingPress)
            {
                Print("BOOT: not connected; one " + _settings.PublishPayload + " is already waiting to be sent");
            }
            else
            {
                _pendingPress = true;
                Print("BOOT: not connected; " + _settings.PublishPayload + " will be sent once MQTT is connected");
            }
        }

        private void PublishHello()
        {
            try
            {
                _ports.Mqtt.Publish(_settings.PublishTopic, _publishPayload, _settings.PublishQos, _settings.PublishRetain);
                _pendingPress = false;
                Print(_sentLine);
            }
            catch (Exception e)
            {
                // Keep the press for the next connection rather than lose it.
                _pendingPress = true;
                _connectionLost.Set();
                Print("BOOT: publish failed (" + e.Message + "); it will be sent after reconnecting");
            }
        }

        private void Supervise(long now)
        {
            switch (_state)
            {
                case ConnectionState.SettingsInvalid:
                    if (now >= _settingsRetryAtMs)
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
                    else if (now >= _nextClockCheckMs)
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
                        OnWifiLost();
                    }
                    else if (_connectionLost.IsSet)
                    {
                        CloseQuietly();
                        if (now - _onlineSinceMs >= _options.StableConnectionMs)
                        {
                            _mqttBackoff.Reset();
                        }

                        _lastFailure = null;
                        Print("MQTT: connection lost; reconnecting");
                        RetryLater(_mqttBackoff, ConnectionState.ConnectingMqtt, now, "MQTT:");
                    }

                    break;

                case ConnectionState.WaitingToRetry:
                    if (now >= _retryAtMs)
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
            NetworkJoinResult result;
            string detail;
            try
            {
                result = _ports.Network.Join(_settings.WifiSsid, _settings.WifiPassword);
                detail = _ports.Network.LastErrorDetail;
            }
            catch (Exception e)
            {
                result = NetworkJoinResult.Failed;
                detail = e.Message;
            }

            if (result == NetworkJoinResult.Joined)
            {
                Print("WiFi: connected");
                _wifiBackoff.Reset();
                _lastFailure = null;
                EnterWaitingForClock();
            }
            else
            {
                Fail(FailureText.ForJoin(result, _settings.WifiSsid, detail), _wifiBackoff, ConnectionState.JoiningWifi);
            }
        }

        private void EnterWaitingForClock()
        {
            _clockWaitReported = false;
            _nextClockCheckMs = 0;
            _state = ConnectionState.WaitingForClock;
        }

        private void OnWifiLost()
        {
            Print("WiFi: connection lost; reconnecting");
            _state = ConnectionState.JoiningWifi;
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
                // Subscribe every time: cheap, and right even when the broker lost the session.
                _ports.Mqtt.Subscribe(_settings.SubscribeTopic, 1);
                Print("MQTT: subscribed to " + _settings.SubscribeTopic);
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
            if (_pendingPress)
            {
                PublishHello();
            }
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
            string problem;
            DeviceSettings settings = null;
            try
            {
                settings = _ports.Settings.Read(out problem);
            }
            catch (Exception e)
            {
                problem = "reading " + _ports.Settings.Location + " failed (" + e.Message + ")";
            }

            string report;
            if (settings == null)
            {
                report = "Settings: " + problem;
            }
            else
            {
                ArrayList errors = SettingsValidator.Validate(settings);
                if (errors.Count == 0)
                {
                    Accept(settings);
                    return;
                }

                report = "Settings: " + errors.Count.ToString() + " problem(s) in " + _ports.Settings.Location + ":";
                for (int i = 0; i < errors.Count; i++)
                {
                    report += "\n  - " + (string)errors[i];
                }
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

            _settings = settings;
            _publishPayload = Utf8.Encode(settings.PublishPayload);
            _sentLine = "BOOT: sent " + settings.PublishPayload + " to " + settings.PublishTopic;
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
            _ports.Monitor.WriteLine(line);
        }

        private static string Seconds(int ms)
        {
            return (ms / 1000).ToString() + "." + (ms / 100 % 10).ToString();
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
            }

            public void OnPublished(int connection, int messageId, bool confirmed)
            {
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
