using System;
using System.Buffers;
using System.Collections.Generic;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using System.Threading;
using IotyDevice.Core;
using IotyDevice.Host.Mqtt;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace IotyDevice.Simulator
{
    /// <summary>The IoTy App Builder's side of the lesson: its own MQTTnet client (never the device's transport)
    /// on the same broker with the same credentials and CA as the device. It publishes what `pub` asks for,
    /// listens on the device's publish topic and status topic, and reconnects on its own (re-reading the
    /// settings, so a fixed settings.json is picked up as the device picks it up). The device's publish topic is the
    /// lesson's (<see cref="LessonTopics"/>).</summary>
    internal sealed class AppPeer : IDisposable
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
        private IMqttClient _client;
        private readonly List<string> _watched = new List<string>();
        private string _lastProblem;
        private volatile bool _liveOnlineSeen;

        /// <param name="deviceTopic">where the lesson's BOOT press publishes; null: it publishes nothing there</param>
        public AppPeer(ISettingsSource settings, string chipId, string deviceTopic, Terminal terminal)
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
            IMqttClient client;
            lock (_gate)
            {
                if (_watched.Contains(topic)) return;
                _watched.Add(topic);
                client = _client;
            }
            if (client == null || !client.IsConnected) return;
            try
            {
                using (var timeout = new CancellationTokenSource(TimeoutMs))
                {
                    client.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token)
                        .GetAwaiter().GetResult();
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
                IMqttClient client;
                lock (_gate) client = _client;
                if (client == null || !client.IsConnected) TryConnect();
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

            IMqttClient client = new MqttClientFactory().CreateMqttClient();
            string statusTopic = string.IsNullOrEmpty(s.StatusTopic) ? null : s.StatusTopic.Replace(DeviceSettings.ClientIdPlaceholder, s.ClientIdPrefix + _chipId);
            client.ApplicationMessageReceivedAsync += e =>
            {
                MqttApplicationMessage m = e.ApplicationMessage;
                byte[] payload = m.Payload.ToArray();
                string text = Encoding.UTF8.GetString(payload);
                if (m.Topic == statusTopic && text == "online" && !m.Retain) _liveOnlineSeen = true;
                // Cut like the board's monitor cuts a long payload: the terminal is for reading.
                if (text.Length > MaxLineChars) text = text.Substring(0, MaxLineChars) + "... (" + payload.Length + " bytes)";
                _terminal.App(m.Topic + ": " + text + (m.Retain ? " (retained)" : ""));
                Action<string, byte[], bool> arrived = MessageArrived;
                if (arrived != null) arrived(m.Topic, payload, m.Retain);
                return System.Threading.Tasks.Task.CompletedTask;
            };
            client.DisconnectedAsync += e =>
            {
                if (e.ClientWasConnected && !_stop.IsSet) _terminal.App("lost the connection to the broker; reconnecting");
                return System.Threading.Tasks.Task.CompletedTask;
            };

            string where = s.BrokerHost + ":" + s.BrokerPort;
            try
            {
                // Trusts what the device is told to trust; null (device-store) leaves it to the OS store.
                X509Certificate2Collection roots = CaTrust.LoadRoots(s.CaCertificate);
                MqttClientOptions options = new MqttClientFactory().CreateClientOptionsBuilder()
                    .WithTcpServer(s.BrokerHost, s.BrokerPort)
                    .WithProtocolVersion(MqttProtocolVersion.V311)
                    .WithClientId(_clientId)
                    .WithCredentials(s.BrokerUsername, s.BrokerPassword)
                    .WithCleanSession(true)
                    .WithTimeout(TimeSpan.FromMilliseconds(TimeoutMs))
                    .WithTlsOptions(tls =>
                    {
                        tls.UseTls(true)
                            .WithTargetHost(s.BrokerHost)
                            .WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
                            .WithRevocationMode(X509RevocationMode.NoCheck);
                        if (roots != null) tls.WithTrustChain(roots);
                    })
                    .Build();
                using (var timeout = new CancellationTokenSource(TimeoutMs))
                {
                    MqttClientConnectResult result = client.ConnectAsync(options, timeout.Token).GetAwaiter().GetResult();
                    if (result.ResultCode != MqttClientConnectResultCode.Success)
                    {
                        client.Dispose();
                        Report("cannot connect to " + where + ": the broker refused (" + result.ResultCode + "); retrying every " + RetryMs / 1000 + " s");
                        return;
                    }
                    var own = new List<string>();
                    if (_deviceTopic != null) own.Add(_deviceTopic);
                    if (statusTopic != null) own.Add(statusTopic);
                    string listening = own.Count == 0 ? "nothing yet" : string.Join(" and ", own);
                    var subscribe = new MqttClientSubscribeOptionsBuilder();
                    lock (_gate)
                    {
                        foreach (string topic in _watched)
                        {
                            if (!own.Contains(topic)) subscribe = subscribe.WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce);
                        }
                        foreach (string topic in own)
                        {
                            subscribe = subscribe.WithTopicFilter(topic, MqttQualityOfServiceLevel.AtLeastOnce);
                            // Watching these again is a no-op.
                            if (!_watched.Contains(topic)) _watched.Add(topic);
                        }
                    }
                    client.SubscribeAsync(subscribe.Build(), timeout.Token).GetAwaiter().GetResult();
                    IMqttClient old;
                    lock (_gate)
                    {
                        old = _client;
                        _client = client;
                    }
                    if (old != null) old.Dispose();
                    _lastProblem = null;
                    _terminal.App("connected to " + where + " as " + _clientId + "; listening on " + listening);
                }
            }
            catch (Exception e)
            {
                client.Dispose();
                string why = ExceptionChain.Find<AuthenticationException>(e) != null
                    ? "the broker's TLS certificate was not accepted with CaCertificate " + s.CaCertificate + " (the device's MQTT line says more)"
                    : ExceptionChain.Innermost(e).Message;
                Report("cannot connect to " + where + ": " + why + "; retrying every " + RetryMs / 1000 + " s");
            }
        }

        /// <summary>Publishes as the App Builder does (QoS 1: the broker keeps it for a device that is away) and
        /// waits for the broker's PUBACK. Returns false, having said why, if it could not.</summary>
        public bool Publish(string topic, string text, CancellationToken cancel)
        {
            IMqttClient client;
            lock (_gate) client = _client;
            if (client == null || !client.IsConnected)
            {
                _terminal.Sim("pub: the app side is not connected to the broker (yet); nothing sent");
                return false;
            }
            try
            {
                MqttApplicationMessage message = new MqttApplicationMessageBuilder()
                    .WithTopic(topic)
                    .WithPayload(Encoding.UTF8.GetBytes(text))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                    .Build();
                using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancel))
                {
                    timeout.CancelAfter(TimeoutMs);
                    MqttClientPublishResult result = client.PublishAsync(message, timeout.Token).GetAwaiter().GetResult();
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
            IMqttClient client;
            lock (_gate)
            {
                client = _client;
                _client = null;
            }
            if (client == null) return;
            try
            {
                if (client.IsConnected)
                    client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build()).Wait(TimeSpan.FromMilliseconds(300));
            }
            catch (Exception)
            {
                // Leaving anyway.
            }
            client.Dispose();
        }
    }
}
