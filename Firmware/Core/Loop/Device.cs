using System;

namespace IotyDevice.Core
{
    /// <summary>The firmware's loop: reads the settings, keeps the connection to the broker (<see cref="BrokerConnection"/>)
    /// and hands the lesson (Firmware/Lesson.cs) each message and each BOOT press.
    /// Everything happens on the thread that calls <see cref="Step"/>; the MQTT library's threads only fill the
    /// <see cref="Inbox"/>, queue acks and raise flags. The lesson's publishes (a press's too) go through the <see cref="Outbox"/>.</summary>
    public class Device
    {
        private readonly DevicePorts _ports;
        private readonly DeviceOptions _options;
        private readonly Wakeup _wakeup;
        private readonly MonitorMirror _mirror; // every printed line goes through it (setting MonitorTopic)
        private readonly StatusLight _light;     // the LED's pattern (setting StatusLedPin)
        private readonly SettingsReader _settingsReader;
        private readonly BootPresses _presses;
        private readonly Inbox _inbox;
        private readonly MessageDelivery _delivery;
        private readonly Subscriptions _subscriptions = new Subscriptions();
        private readonly LessonRunner _lesson;
        private readonly Outbox _outbox;
        private readonly Presence _presence;
        private readonly BrokerConnection _connection;
        private readonly Flag _stopRequested = new Flag();
        private DeviceSettings _settings; // null until usable settings are read

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
            _inbox = new Inbox(options.InboxCapacity, options.InboxMaxBytes);
            MessageLine line = new MessageLine(options.MaxPayloadChars);
            _mirror = new MonitorMirror(ports.Monitor, ports.Clock, options.MonitorMirrorLines, options.MonitorMirrorChars, options.MonitorMirrorIntervalMs);
            _light = new StatusLight(ports.Light, ports.Clock);
            _settingsReader = new SettingsReader(ports.Settings, _mirror, options.SettingsRetryMs);
            _outbox = new Outbox(ports.Mqtt, _mirror, options.OutboxCapacity);
            LessonPublishes publishes = new LessonPublishes(_outbox);
            _lesson = new LessonRunner(lesson, new Board(_mirror, line, publishes, ports.Pins), ports.Clock, _mirror, options.SlowLessonMs);
            _presses = new BootPresses(ports.Button, _mirror, options.DebounceMs, _lesson, publishes);
            _delivery = new MessageDelivery(_inbox, _lesson, publishes, _light, _mirror, options.DropReportIntervalMs);
            _presence = new Presence(ports.Network, _mirror);
            _connection = new BrokerConnection(ports.Network, ports.Mqtt, ports.Clock, _mirror, options, _presence, _inbox,
                                               new ConnectionEvents(ports.Mqtt, _outbox, _subscriptions, _presence));
            ports.Mqtt.SetListener(new LibraryEvents(_inbox, _subscriptions, _outbox, _connection, wakeup));
        }

        public ConnectionState State
        {
            get { return _settings == null && _settingsReader.Waiting ? ConnectionState.SettingsInvalid : _connection.State; }
        }

        public int DroppedMessages { get { return _inbox.Dropped; } }

        public int InboxCount { get { return _inbox.Count; } }

        /// <summary>Topic and payload bytes waiting in the inbox (bounded by DeviceOptions.InboxMaxBytes).</summary>
        public int InboxBytes { get { return _inbox.Bytes; } }

        /// <summary>Publishes kept until the broker confirms them (see <see cref="Outbox"/>).</summary>
        public int UnconfirmedPublishes { get { return _outbox.Count; } }

        /// <summary>Publishes sent again after a drop; each may have reached the subscribers twice.</summary>
        public int ResentPublishes { get { return _outbox.Resent; } }

        /// <summary>Opens the button and reads the settings; call once before <see cref="Step"/>.</summary>
        public void Start()
        {
            long now = _ports.Clock.NowMs;
            _mirror.WriteLine("IotyDevice: starting");
            if (_options.Runtime != null) _mirror.WriteLine("Runtime: " + _options.Runtime);
            // The settings may name another pin (BootButtonPin); until they are read, BOOT of an ESP32 DevKit.
            _presses.Open(DeviceSettings.DefaultBootButtonPin, now);
            _presence.TryChipId();
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
                    _mirror.WriteLine("Error: " + e.Message + " (the device carries on)");
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

        /// <summary>One pass of the loop: messages first, then the button, then the settings or the connection, then
        /// the publishes. Returns how many milliseconds may pass before the next pass is needed.</summary>
        public int Step()
        {
            long now = _ports.Clock.NowMs;
            _delivery.Deliver();
            _delivery.ReportDrops(now);
            string line;
            while ((line = _subscriptions.NextReport(_connection.Number)) != null)
            {
                _mirror.WriteLine(line);
            }

            _presses.Deliver(now, _settings != null);

            if (_settings != null)
            {
                _connection.Poll(now);
            }
            else if (_settingsReader.MsUntilRetry(now) <= 0)
            {
                LoadSettings(now);
            }

            // Publish only to a connection known to be open. The library reports a loss on its own thread at any time,
            // also after Poll ran in this pass; IsUsable counts such a loss at once, because what is handed to a
            // closed connection is lost while the monitor says "sent".
            if (!_connection.IsUsable)
            {
                _outbox.Close();
            }

            int sent = _outbox.Sent;
            if (!_outbox.Pump())
            {
                _connection.MarkLost();
            }

            if (_outbox.Sent != sent)
            {
                _light.PressSent();
            }

            if (_connection.IsUsable)
            {
                _mirror.Pump(_ports.Mqtt);
            }

            ConnectionState state = State;
            int lightMs = _light.Show(state == ConnectionState.SettingsInvalid ? state : _connection.Shown,
                                      _settings != null ? _settings.StatusLedPin : DeviceSettings.DefaultStatusLedPin);
            int waitMs = MsUntilNextStep(now);
            return lightMs < waitMs ? lightMs : waitMs;
        }

        private void LoadSettings(long now)
        {
            DeviceSettings settings = _settingsReader.Load(now);
            if (settings == null)
            {
                return;
            }

            _settings = settings;
            if (settings.BootButtonPin != _presses.Pin)
            {
                _presses.Open(settings.BootButtonPin, _ports.Clock.NowMs);
            }

            _subscriptions.SetTopics(_lesson.Topics(settings));
            _connection.Begin(settings);
        }

        private int MsUntilNextStep(long now)
        {
            if (_inbox.Count > 0)
            {
                return 0;
            }

            long wait = _settings == null ? _settingsReader.MsUntilRetry(now) : _connection.MsUntilDue(now);
            int settle = _presses.MsUntilSettled(now);
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

        /// <summary>The loop has stopped: say "offline" and finish an orderly close here, still printing what the
        /// library hands over meanwhile.</summary>
        private void SayOfflineAndClose()
        {
            if (_connection.State == ConnectionState.Online)
            {
                _presence.SayOffline(_ports.Mqtt);
            }

            _connection.Close();
            long started = _ports.Clock.NowMs;
            long waited = 0;
            while (true)
            {
                _delivery.Deliver();
                long now = _ports.Clock.NowMs;
                if (now < started + waited)
                {
                    now = started + waited; // a clock that stands still must not hold the stop
                }

                if (_connection.FinishClose(now))
                {
                    break;
                }

                int waitMs = (int)_connection.MsUntilDue(now) + 1;
                if (!_wakeup.Wait(waitMs))
                {
                    waited += waitMs; // only a wait that ran out counts: a message handed over wakes it early
                }
            }
        }
    }
}
