using System;
using System.Collections.Generic;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Text;
using System.Threading;
using IotyDevice.Core;
using IotyDevice.Host.Mqtt;
using MQTTnet;

namespace IotyDevice.Simulator
{
    /// <summary>The IoTy App Builder's side of the lesson in the simulator: an <see cref="AppPeer"/> on the same broker
    /// with the same credentials and CA as the device, kept connected. It publishes what `pub` and the page ask for,
    /// listens where the lesson publishes (<see cref="LessonTopics"/>) and on the status topic, prints what it receives,
    /// and reconnects on its own (re-reading the settings, so a fixed settings.json is picked up as the device picks it up).</summary>
    internal sealed class AppBuilderSide : IDisposable
    {
        private const int RetryMs = 3000;
        private const int TimeoutMs = 5000;
        private const int MaxLineChars = 200;

        private readonly ISettingsSource _settings;
        private readonly string _chipId;
        private readonly string _deviceTopic;
        private readonly Terminal _terminal;
        private readonly string _clientId = "ioty-app-sim-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(3)).ToLowerInvariant();
        private readonly ManualResetEventSlim _stop = new ManualResetEventSlim(false);
        private readonly ManualResetEventSlim _firstAttemptDone = new ManualResetEventSlim(false);
        private readonly Thread _thread;
        private readonly object _gate = new object();
        private AppPeer _peer;
        private readonly List<string> _watched = new List<string>();
        private string _lastProblem;
        private volatile bool _liveOnlineSeen;

        /// <param name="deviceTopic">where the lesson's BOOT press publishes; null: it publishes nothing there</param>
        public AppBuilderSide(ISettingsSource settings, string chipId, string deviceTopic, Terminal terminal)
        {
            _settings = settings;
            _chipId = chipId;
            _deviceTopic = deviceTopic;
            _terminal = terminal;
            _thread = new Thread(Run) { IsBackground = true, Name = "app peer" };
        }

        /// <summary>True once the device's status topic said "online" live (not a retained copy). The device sends
        /// it right after SUBSCRIBE on the same connection, so by then the broker has its subscription.</summary>
        public bool DeviceOnlineSeen { get { return _liveOnlineSeen; } }

        public void Start() { _thread.Start(); }

        /// <summary>Each message the peer receives (topic, raw payload, retained), on MQTTnet's thread.</summary>
        public event Action<string, byte[], bool> MessageArrived;

        /// <summary>Listens on one more topic (QoS 1), now and after every reconnect: the page's Display and lamp
        /// topics are editable.</summary>
        public void Watch(string topic)
        {
            AppPeer peer;
            lock (_gate)
            {
                if (_watched.Contains(topic)) return;
                _watched.Add(topic);
                peer = _peer;
            }
            if (peer == null || !peer.IsConnected) return;
            try
            {
                using (var timeout = new CancellationTokenSource(TimeoutMs))
                {
                    peer.Subscribe(new[] { topic }, 1, timeout.Token);
                }
                _terminal.App("listening on " + topic);
            }
            catch (Exception e)
            {
                _terminal.App("could not listen on " + topic + ": " + ExceptionChain.Innermost(e).Message);
            }
        }

        /// <summary>Waits (bounded) until the first connection attempt has succeeded or failed.</summary>
        public void WaitFirstAttempt(TimeSpan timeout) { _firstAttemptDone.Wait(timeout); }

        private void Run()
        {
            while (!_stop.IsSet)
            {
                AppPeer peer;
                lock (_gate) peer = _peer;
                if (peer == null || !peer.IsConnected) TryConnect();
                _firstAttemptDone.Set();
                _stop.Wait(RetryMs);
            }
        }

        private void TryConnect()
        {
            string problem;
            DeviceSettings s = _settings.Read(out problem);
            if (s == null || SettingsValidator.Validate(s).Count > 0)
            {
                Report("not connected: the settings have problems (the device lists them)");
                return;
            }

            string statusTopic = string.IsNullOrEmpty(s.StatusTopic) ? null : s.StatusTopic.Replace(DeviceSettings.ClientIdPlaceholder, s.ClientIdPrefix + _chipId);
            string where = s.BrokerHost + ":" + s.BrokerPort;
            AppPeer peer = null;
            try
            {
                // Trusts what the device is told to trust; null (device-store) leaves it to the OS store.
                MqttClientConnectResultCode result;
                (peer, result) = AppPeer.TryConnect(s.BrokerHost, s.BrokerPort, s.BrokerUsername, s.BrokerPassword,
                    CaTrust.LoadRoots(s.CaCertificate), _clientId, TimeSpan.FromMilliseconds(TimeoutMs));
                peer.KeepReceived = false;
                peer.MessageArrived += (topic, payload, retained) => OnMessage(statusTopic, topic, payload, retained);
                peer.Disconnected += () =>
                {
                    if (!_stop.IsSet) _terminal.App("lost the connection to the broker; reconnecting");
                };
                if (result != MqttClientConnectResultCode.Success)
                {
                    peer.Dispose();
                    Report("cannot connect to " + where + ": the broker refused (" + result + "); retrying every " + RetryMs / 1000 + " s");
                    return;
                }

                var own = new List<string>();
                if (_deviceTopic != null) own.Add(_deviceTopic);
                if (statusTopic != null) own.Add(statusTopic);
                var topics = new List<string>(own);
                lock (_gate)
                {
                    foreach (string topic in _watched) if (!topics.Contains(topic)) topics.Add(topic);
                    // Watching these again is a no-op.
                    foreach (string topic in own) if (!_watched.Contains(topic)) _watched.Add(topic);
                }
                using (var timeout = new CancellationTokenSource(TimeoutMs))
                {
                    if (topics.Count > 0) peer.Subscribe(topics.ToArray(), 1, timeout.Token);
                }
                AppPeer old;
                lock (_gate)
                {
                    old = _peer;
                    _peer = peer;
                }
                if (old != null) old.Dispose();
                _lastProblem = null;
                _terminal.App("connected to " + where + " as " + _clientId + "; listening on " + (own.Count == 0 ? "nothing yet" : string.Join(" and ", own)));
            }
            catch (Exception e)
            {
                if (peer != null) peer.Dispose();
                string why = ExceptionChain.Find<AuthenticationException>(e) != null
                    ? "the broker's TLS certificate was not accepted with CaCertificate " + s.CaCertificate + " (the device's MQTT line says more)"
                    : ExceptionChain.Innermost(e).Message;
                Report("cannot connect to " + where + ": " + why + "; retrying every " + RetryMs / 1000 + " s");
            }
        }

        private void OnMessage(string statusTopic, string topic, byte[] payload, bool retained)
        {
            string text = Encoding.UTF8.GetString(payload);
            if (topic == statusTopic && text == "online" && !retained) _liveOnlineSeen = true;
            // Cut like the board's monitor cuts a long payload: the terminal is for reading.
            if (text.Length > MaxLineChars) text = text.Substring(0, MaxLineChars) + "... (" + payload.Length + " bytes)";
            _terminal.App(topic + ": " + text + (retained ? " (retained)" : ""));
            Action<string, byte[], bool> arrived = MessageArrived;
            if (arrived != null) arrived(topic, payload, retained);
        }

        /// <summary>Publishes as the App Builder does (QoS 1: the broker keeps it for a device that is away) and
        /// waits for the broker's PUBACK. Returns false, having said why, if it could not.</summary>
        public bool Publish(string topic, string text, CancellationToken cancel)
        {
            AppPeer peer;
            lock (_gate) peer = _peer;
            if (peer == null || !peer.IsConnected)
            {
                _terminal.Sim("pub: the app side is not connected to the broker (yet); nothing sent");
                return false;
            }
            try
            {
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel))
                {
                    timeout.CancelAfter(TimeoutMs);
                    MqttClientPublishResult result = peer.Publish(topic, text, 1, false, timeout.Token);
                    if (!result.IsSuccess)
                    {
                        _terminal.Sim("pub: the broker did not accept it (" + result.ReasonCode + ")");
                        return false;
                    }
                }
                _terminal.App("published " + topic + ": " + text);
                return true;
            }
            catch (Exception e)
            {
                _terminal.Sim("pub: " + ExceptionChain.Innermost(e).Message);
                return false;
            }
        }

        private void Report(string problem)
        {
            // Once per distinct problem; the retries behind it are silent.
            if (problem == _lastProblem) return;
            _lastProblem = problem;
            _terminal.App(problem);
        }

        public void Dispose()
        {
            _stop.Set();
            _thread.Join(TimeSpan.FromMilliseconds(300));
            AppPeer peer;
            lock (_gate)
            {
                peer = _peer;
                _peer = null;
            }
            if (peer != null) peer.Close(TimeSpan.FromMilliseconds(300));
        }
    }
}
