using System;

namespace IotyDevice.Core
{
    /// <summary>The way to the broker, as one state machine polled by the loop: join WiFi, wait for network time,
    /// connect MQTT, stay online; any failure waits out a backoff and goes back to the step that failed. Like esphome's
    /// mqtt_client.cpp: one state, one switch in <see cref="Poll"/>, and the library's threads only record a loss
    /// (<see cref="OnClosedByLibrary"/>) for the next Poll to act on. What the loop must do when a connection opens
    /// or closes it is told through <see cref="IConnectionEvents"/>.</summary>
    public class BrokerConnection
    {
        /// <summary>TLS checks certificate dates: a clock before this has not been set by network time yet.</summary>
        public static readonly DateTime ClockValidFrom = new DateTime(2024, 1, 1);

        private readonly INetwork _network;
        private readonly IMqttTransport _mqtt;
        private readonly IClock _clock;
        private readonly IMonitor _monitor;
        private readonly DeviceOptions _options;
        private readonly Presence _presence;
        private readonly Inbox _inbox;
        private readonly IConnectionEvents _events;
        private readonly ConnectionCloser _closer;
        private readonly Backoff _wifiBackoff;
        private readonly Backoff _mqttBackoff;

        private DeviceSettings _settings;
        private ConnectionState _state;
        private ConnectionState _retryState;
        private long _retryAtMs;
        private long _nextClockCheckMs;
        private bool _clockWaitReported;
        private long _onlineSinceMs;
        private string _lastFailure;
        private int _failureRepeats;

        // The transport's number of the connection in use (0: none). Written by the loop, read by the library's
        // threads to tell a late event of a connection already closed from news about the current one.
        private int _connection;

        // Set on the library's thread when the current connection closed; the state stays Online until the next
        // Poll acts on it.
        private readonly Flag _lost = new Flag();

        public BrokerConnection(INetwork network, IMqttTransport mqtt, IClock clock, IMonitor monitor, DeviceOptions options,
                                Presence presence, Inbox inbox, IConnectionEvents events)
        {
            _network = network;
            _mqtt = mqtt;
            _clock = clock;
            _monitor = monitor;
            _options = options;
            _presence = presence;
            _inbox = inbox;
            _events = events;
            _closer = new ConnectionCloser(mqtt, monitor, options.CloseQuietMs, options.CloseLimitMs);
            Random random = options.Random != null ? options.Random : new Random();
            _wifiBackoff = new Backoff(options.BackoffBaseMs, options.BackoffCapMs, random);
            _mqttBackoff = new Backoff(options.BackoffBaseMs, options.BackoffCapMs, random);
        }

        public ConnectionState State { get { return _state; } }

        /// <summary>The state to show on the light: while waiting to retry, the step that failed.</summary>
        public ConnectionState Shown { get { return _state == ConnectionState.WaitingToRetry ? _retryState : _state; } }

        /// <summary>The transport's number of the open connection; 0 when none.</summary>
        public int Number { get { return System.Threading.Interlocked.CompareExchange(ref _connection, 0, 0); } }

        /// <summary>Online, and no loss reported by the library that the next Poll has still to act on: the only time
        /// anything may be handed to the transport (what goes to a closed connection is lost while the monitor
        /// says "sent").</summary>
        public bool IsUsable { get { return _state == ConnectionState.Online && !_lost.IsSet; } }

        /// <summary>Starts on the way to the broker with these (checked) settings.</summary>
        public void Begin(DeviceSettings settings)
        {
            _settings = settings;
            _state = ConnectionState.JoiningWifi;
        }

        /// <summary>The loop learned that the connection is gone (a publish or subscribe found it closed).</summary>
        public void MarkLost()
        {
            _lost.Set();
        }

        /// <summary>Called on the library's thread: records the loss of <paramref name="connection"/>. False when it is a
        /// connection already closed and left behind (nothing to wake the loop for).</summary>
        public bool OnClosedByLibrary(int connection)
        {
            if (connection != Number)
            {
                return false;
            }

            _lost.Set();
            return true;
        }

        /// <summary>Called on the library's thread for each message it hands over (an orderly close waits for quiet).</summary>
        public void CountArrival()
        {
            _closer.CountArrival();
        }

        /// <summary>One step of the machine; never while a close waits for the library to hand over what it acknowledged.</summary>
        public void Poll(long now)
        {
            if (!_closer.Poll(now))
            {
                return;
            }

            switch (_state)
            {
                case ConnectionState.JoiningWifi:
                    JoinWifi();
                    break;

                case ConnectionState.WaitingForClock:
                    if (!_network.IsUp)
                    {
                        OnWifiLost();
                    }
                    else if (_clock.UtcNow >= ClockValidFrom)
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
                    // Connecting blocks the loop; received messages are printed first.
                    if (_inbox.Count == 0)
                    {
                        ConnectMqtt(now);
                    }

                    break;

                case ConnectionState.Online:
                    if (!_network.IsUp)
                    {
                        Close();
                        ResetMqttBackoffIfStable(now);
                        OnWifiLost();
                    }
                    else if (_lost.IsSet)
                    {
                        Close();
                        ResetMqttBackoffIfStable(now);
                        _lastFailure = null;
                        Print("MQTT: connection lost; reconnecting");
                        RetryLater(_mqttBackoff, ConnectionState.ConnectingMqtt, now, "MQTT:");
                    }

                    break;

                case ConnectionState.WaitingToRetry:
                    if (_retryState == ConnectionState.ConnectingMqtt && !_network.IsUp)
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

        /// <summary>How long the loop may sleep before the next <see cref="Poll"/> is due; long.MaxValue when only an
        /// event can change anything.</summary>
        public long MsUntilDue(long now)
        {
            if (_closer.IsPending)
            {
                return _closer.MsUntilDue(now); // the state waits until the close is done
            }

            switch (_state)
            {
                case ConnectionState.JoiningWifi:
                case ConnectionState.ConnectingMqtt:
                    return 0;
                case ConnectionState.WaitingForClock:
                    return _nextClockCheckMs - now;
                case ConnectionState.WaitingToRetry:
                    return _retryAtMs - now;
                default:
                    return long.MaxValue;
            }
        }

        /// <summary>Closes the current connection. One the library still thinks is open may hold acknowledged
        /// messages: it is closed once they are handed over (<see cref="FinishClose"/>, or the next Polls).</summary>
        public void Close()
        {
            int connection = System.Threading.Interlocked.Exchange(ref _connection, 0);
            _events.Closing();
            if (connection != 0 && !_lost.IsSet)
            {
                _closer.CloseWhenQuiet(_clock.NowMs);
            }
            else
            {
                _closer.CloseNow();
            }
        }

        /// <summary>Finishes a pending close once quiet or at its limit; true when none is pending.</summary>
        public bool FinishClose(long now)
        {
            return _closer.Poll(now);
        }

        private void JoinWifi()
        {
            if (_network.IsUp)
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
                if (!_network.IsStored(_settings.WifiSsid, _settings.WifiPassword))
                {
                    _network.Store(_settings.WifiSsid, _settings.WifiPassword);
                }

                status = _network.Connect();
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
                    scan = _network.Scan();
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
            _nextClockCheckMs = _clock.NowMs;
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
            if (!_network.IsUp)
            {
                OnWifiLost();
                return;
            }

            if (!_presence.TryChipId())
            {
                Fail("MQTT: the WiFi MAC address (the chip ID) is unknown; is this an ESP32 with WiFi?", _mqttBackoff, ConnectionState.ConnectingMqtt);
                return;
            }

            MqttConnectRequest request = _presence.ConnectRequest(_settings);
            Print("MQTT: connecting to " + _settings.BrokerHost + ":" + _settings.BrokerPort.ToString() + " as " + request.ClientId + "...");
            _lost.Clear();
            ConnectResult result;
            try
            {
                result = _mqtt.Connect(request);
            }
            catch (MqttTransportException e)
            {
                Close();
                Fail(FailureText.ForFault(e, _settings.BrokerHost, _settings.BrokerPort), _mqttBackoff, ConnectionState.ConnectingMqtt);
                return;
            }
            catch (Exception e)
            {
                Close();
                Fail("MQTT: connecting failed (" + e.Message + ")", _mqttBackoff, ConnectionState.ConnectingMqtt);
                return;
            }

            if (!result.IsAccepted)
            {
                Close();
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
                _events.Opened(result.Connection);
            }
            catch (Exception e)
            {
                Print("MQTT: subscribing failed (" + e.Message + ")");
                _lost.Set();
            }

            _onlineSinceMs = now;
            _state = ConnectionState.Online;
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

            RetryLater(backoff, retryState, _clock.NowMs, tag);
        }

        private void RetryLater(Backoff backoff, ConnectionState retryState, long now, string tag)
        {
            int delayMs = backoff.NextDelayMs();
            Print(tag + " next try in " + TimeText.Seconds(delayMs) + " s");
            _retryState = retryState;
            _retryAtMs = now + delayMs;
            _state = ConnectionState.WaitingToRetry;
        }

        private void Print(string line)
        {
            _monitor.WriteLine(line);
        }
    }
}
