using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace IotyDevice.TestKit;

/// <summary>The IoTy App Builder's side: a separate, plain MQTTnet client (never the adapter under test) that
/// publishes switch states to topic1, counts the device's "hello"s on topic2 and watches the status topic. What it
/// receives is what really crossed the broker. It also serves as the raw-client baseline of the benchmarks.</summary>
public sealed class AppPeer : IDisposable
{
    private readonly IMqttClient _client;
    private readonly ConcurrentQueue<(string Topic, byte[] Payload, bool Retain)> _received = new();

    public Signal Changed { get; } = new();

    /// <summary>Called on MQTTnet's thread with each received message, before this peer does anything with it.</summary>
    public Action<MqttApplicationMessageReceivedEventArgs> OnMessage { get; set; }

    /// <summary>False: messages only reach <see cref="OnMessage"/> and are not kept (a benchmark's many peers stay small).</summary>
    public bool KeepReceived { get; set; } = true;

    private AppPeer(IMqttClient client)
    {
        _client = client;
        _client.ApplicationMessageReceivedAsync += e =>
        {
            OnMessage?.Invoke(e);
            if (!KeepReceived) return Task.CompletedTask;
            _received.Enqueue((e.ApplicationMessage.Topic, e.ApplicationMessage.Payload.ToArray(), e.ApplicationMessage.Retain));
            Changed.Pulse();
            return Task.CompletedTask;
        };
    }

    /// <summary>Connects as the app user of a TestKit broker; throws unless the broker accepts.</summary>
    public static AppPeer Connect(MosquittoBroker broker, string clientId = null, string host = "localhost")
    {
        (AppPeer peer, MqttClientConnectResultCode result) = TryConnect(broker.Port, MosquittoBroker.AppUser, MosquittoBroker.AppPassword,
            TestPki.Instance.CaPem, clientId, host);
        if (result != MqttClientConnectResultCode.Success)
        {
            peer.Dispose();
            throw new InvalidOperationException("the app peer could not connect: " + result);
        }
        return peer;
    }

    /// <summary>Connects over TLS to any broker on this machine, trusting <paramref name="caPem"/>; returns the CONNACK
    /// result (a refusal is a result, not an exception; the caller disposes the peer either way).</summary>
    public static (AppPeer Peer, MqttClientConnectResultCode Result) TryConnect(int port, string user, string password, string caPem,
        string clientId = null, string host = "localhost")
    {
        var factory = new MqttClientFactory();
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(caPem);
        MqttClientOptions options = factory.CreateClientOptionsBuilder()
            .WithTcpServer(host, port)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId(clientId ?? "app-" + Guid.NewGuid().ToString("N")[..8])
            .WithCredentials(user, password)
            .WithCleanSession(true)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithTlsOptions(tls => tls.UseTls(true)
                .WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
                .WithTrustChain(trust)
                .WithRevocationMode(X509RevocationMode.NoCheck))
            .Build();
        var peer = new AppPeer(factory.CreateMqttClient());
        MqttClientConnectResult result = peer._client.ConnectAsync(options).GetAwaiter().GetResult();
        return (peer, result.ResultCode);
    }

    public void Subscribe(string topic, int qos = 1)
    {
        MqttClientSubscribeResult result = _client.SubscribeAsync(topic, (MqttQualityOfServiceLevel)qos).GetAwaiter().GetResult();
        foreach (MqttClientSubscribeResultItem item in result.Items)
            if (item.ResultCode > MqttClientSubscribeResultCode.GrantedQoS2)
                throw new InvalidOperationException("the app peer's subscription to " + topic + " was refused: " + item.ResultCode);
    }

    /// <summary>Publishes and, for QoS 1, waits for the broker's PUBACK.</summary>
    public void Publish(string topic, byte[] payload, int qos = 1, bool retain = false)
    {
        MqttApplicationMessage message = new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithPayload(payload).WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos).WithRetainFlag(retain).Build();
        _client.PublishAsync(message).GetAwaiter().GetResult();
    }

    public void Publish(string topic, string text, int qos = 1, bool retain = false) =>
        Publish(topic, System.Text.Encoding.UTF8.GetBytes(text), qos, retain);

    /// <summary>Starts a publish and returns at once; for QoS 1 the task ends with the broker's PUBACK.</summary>
    public Task PublishAsync(string topic, byte[] payload, int qos) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel((MqttQualityOfServiceLevel)qos).Build());

    /// <summary>Starts a publish without waiting (for floods); returns the task to await at the end.</summary>
    public Task PublishFast(string topic, byte[] payload) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtMostOnce).Build());

    public (string Topic, byte[] Payload, bool Retain)[] Received => _received.ToArray();

    public string[] TextsOn(string topic) =>
        Received.Where(m => m.Topic == topic).Select(m => System.Text.Encoding.UTF8.GetString(m.Payload)).ToArray();

    /// <summary>Everything received so far, one "topic: text" line each (for failure messages).</summary>
    public string ReceivedText => string.Join("\n", Received.Select(m => m.Topic + ": " + System.Text.Encoding.UTF8.GetString(m.Payload)));

    public bool IsConnected => _client.IsConnected;

    public void Dispose()
    {
        try
        {
            if (_client.IsConnected) _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build()).Wait(2000);
        }
        catch (Exception)
        {
            // The broker may already be gone; nothing to clean up then.
        }
        _client.Dispose();
    }
}
