using System.Buffers;
using System.Collections.Concurrent;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace Simulator.Tests.Infrastructure;

/// <summary>The test's own MQTT client, independent of the simulator (neither its device transport nor its [app]
/// peer): what it receives is what really crossed the broker.</summary>
public sealed class TestPeer : IDisposable
{
    private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
    private readonly ConcurrentQueue<(string Topic, string Text)> _received = new();

    private TestPeer()
    {
        _client.ApplicationMessageReceivedAsync += e =>
        {
            _received.Enqueue((e.ApplicationMessage.Topic, Encoding.UTF8.GetString(e.ApplicationMessage.Payload.ToArray())));
            return Task.CompletedTask;
        };
    }

    /// <summary>Connects; returns the CONNACK result (a refusal is a result, not an exception).</summary>
    public static (TestPeer Peer, MqttClientConnectResultCode Result) Connect(int port, string user, string password, string caPem)
    {
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(caPem);
        MqttClientOptions options = new MqttClientFactory().CreateClientOptionsBuilder()
            .WithTcpServer("localhost", port)
            .WithProtocolVersion(MqttProtocolVersion.V311)
            .WithClientId("test-peer-" + Guid.NewGuid().ToString("N")[..8])
            .WithCredentials(user, password)
            .WithCleanSession(true)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .WithTlsOptions(tls => tls.UseTls(true)
                .WithSslProtocols(SslProtocols.Tls12 | SslProtocols.Tls13)
                .WithTrustChain(trust)
                .WithRevocationMode(X509RevocationMode.NoCheck))
            .Build();
        var peer = new TestPeer();
        MqttClientConnectResult result = peer._client.ConnectAsync(options).GetAwaiter().GetResult();
        return (peer, result.ResultCode);
    }

    public void Subscribe(string topic) =>
        _client.SubscribeAsync(topic, MqttQualityOfServiceLevel.AtLeastOnce).GetAwaiter().GetResult();

    public void Publish(string topic, string text) =>
        _client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(Encoding.UTF8.GetBytes(text))
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build()).GetAwaiter().GetResult();

    public string[] TextsOn(string topic) => _received.Where(m => m.Topic == topic).Select(m => m.Text).ToArray();

    public string Received => string.Join("\n", _received.Select(m => m.Topic + ": " + m.Text));

    public void Dispose()
    {
        try
        {
            if (_client.IsConnected) _client.DisconnectAsync(new MqttClientDisconnectOptionsBuilder().Build()).Wait(2000);
        }
        catch (Exception)
        {
            // The broker may be gone already.
        }
        _client.Dispose();
    }
}
