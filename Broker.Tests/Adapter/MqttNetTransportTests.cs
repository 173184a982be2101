using System.Collections.Concurrent;
using System.Text;
using Broker.Tests.Infrastructure;
using IotyDevice.Core;
using IotyDevice.Host.Mqtt;
using Xunit;

namespace Broker.Tests.Adapter;

/// <summary>The MQTTnet adapter alone against Mosquitto: what Connect returns or throws for each way a connection
/// goes wrong, and that messages and losses arrive on MQTTnet's threads.</summary>
public sealed class MqttNetTransportTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public MqttNetTransportTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    private sealed class Listener : IMqttListener
    {
        public readonly ConcurrentQueue<(string Topic, string Text, int ThreadId)> Messages = new();
        public int Closed;
        public readonly Signal Changed = new();

        public void OnMessage(string topic, byte[] payload, int qos)
        {
            Messages.Enqueue((topic, Encoding.UTF8.GetString(payload), Environment.CurrentManagedThreadId));
            Changed.Pulse();
        }

        public void OnSubscribed(int connection, int messageId, int grantedQos) { }

        public void OnPublished(int connection, int messageId, bool confirmed) { }

        public void OnConnectionClosed(int connection)
        {
            Interlocked.Increment(ref Closed);
            Changed.Pulse();
        }
    }

    private static MqttConnectRequest Request(int port, string host = "localhost", string password = MosquittoBroker.DevicePassword,
        string ca = null, string clientId = "adapter-test") => new()
    {
        Host = host,
        Port = port,
        ClientId = clientId,
        Username = MosquittoBroker.DeviceUser,
        Password = password,
        CaCertificate = ca ?? TestPki.Instance.CaPem,
        CleanSession = true,
        KeepAliveSeconds = 30,
    };

    private MqttTransportException ConnectFails(MqttNetTransport transport, MqttConnectRequest request, Listener listener)
    {
        var e = Assert.Throws<MqttTransportException>(() => transport.Connect(request));
        _output.WriteLine(request.CaCertificate + " -> " + e.Fault + ": " + e.Message);
        Assert.Equal(0, listener.Closed); // a failed Connect is its own result, never a "connection lost"
        return e;
    }

    [Fact]
    public void Connect_with_right_credentials_then_messages_flow_both_ways_on_library_threads()
    {
        using var broker = new MosquittoBroker(nameof(Connect_with_right_credentials_then_messages_flow_both_ways_on_library_threads));
        using var peer = AppPeers.Connect(broker);
        peer.Subscribe("topic2");
        using var transport = new MqttNetTransport(3000);
        var listener = new Listener();
        transport.SetListener(listener);
        Report.OnFailure(broker.LogText, () =>
        {
            ConnectResult result = transport.Connect(Request(broker.Port));
            Assert.True(result.IsAccepted, "code " + result.Code);
            Assert.False(result.SessionPresent);

            transport.Subscribe("topic1", 1);
            Wait.Until(broker.Changed, () => broker.CountLog("adapter-test 1 topic1") > 0, TimeSpan.FromSeconds(5), "the broker to log the subscription", broker.LogText);
            peer.Publish("topic1", "on");
            Wait.Until(listener.Changed, () => listener.Messages.Count >= 1, TimeSpan.FromSeconds(5), "the message on topic1", broker.LogText);
            var (topic, text, threadId) = listener.Messages.Single();
            Assert.Equal(("topic1", "on"), (topic, text));
            Assert.NotEqual(Environment.CurrentManagedThreadId, threadId);

            transport.Publish("topic2", Encoding.UTF8.GetBytes("hello"), 1, false);
            Wait.Until(peer.Changed, () => peer.TextsOn("topic2").Length >= 1, TimeSpan.FromSeconds(5), "hello at the peer", broker.LogText);
            Assert.Equal(new[] { "hello" }, peer.TextsOn("topic2"));
        });
    }

    [Fact]
    public void Connect_by_IP_address_checks_the_IP_in_the_certificate()
    {
        using var broker = new MosquittoBroker(nameof(Connect_by_IP_address_checks_the_IP_in_the_certificate));
        using var transport = new MqttNetTransport(3000);
        var listener = new Listener();
        transport.SetListener(listener);
        Report.OnFailure(broker.LogText, () => Assert.True(transport.Connect(Request(broker.Port, host: "127.0.0.1")).IsAccepted));
    }

    [Fact]
    public void Wrong_password_is_a_CONNACK_refusal_not_a_fault()
    {
        using var broker = new MosquittoBroker(nameof(Wrong_password_is_a_CONNACK_refusal_not_a_fault));
        using var transport = new MqttNetTransport(3000);
        var listener = new Listener();
        transport.SetListener(listener);
        Report.OnFailure(broker.LogText, () =>
        {
            ConnectResult result = transport.Connect(Request(broker.Port, password: "wrong"));
            Assert.False(result.IsAccepted);
            Assert.Contains(result.Code, new[] { ConnectResult.BadUsernameOrPassword5, ConnectResult.NotAuthorized5 });
            Assert.Equal(0, listener.Closed);
            transport.Close();
            transport.Close(); // idempotent
            Assert.True(transport.Connect(Request(broker.Port)).IsAccepted, "the same transport connects after a refusal");
        });
    }

    [Fact]
    public void Certificate_from_an_unknown_CA_is_a_certificate_fault()
    {
        using var broker = new MosquittoBroker(nameof(Certificate_from_an_unknown_CA_is_a_certificate_fault));
        using var transport = new MqttNetTransport(3000);
        var listener = new Listener();
        transport.SetListener(listener);
        Report.OnFailure(broker.LogText, () =>
        {
            MqttTransportException e = ConnectFails(transport, Request(broker.Port, ca: TestPki.Instance.OtherCaPem), listener);
            Assert.Equal(TransportFault.Certificate, e.Fault);
            Assert.Contains("certificate", e.Message);
            Assert.Contains("other-ca.pem", e.Message);
        });
    }

    [Fact]
    public void Certificate_without_the_host_name_is_a_certificate_fault()
    {
        AssertCertificateFault(nameof(Certificate_without_the_host_name_is_a_certificate_fault), TestPki.Instance.WrongNameServer, "name mismatch");
    }

    [Fact]
    public void A_certificate_not_issued_for_TLS_servers_is_a_certificate_fault_as_mbedTLS_makes_it()
    {
        // mbedTLS checks the server certificate's extended key usage (serverAuth, when the extension is there).
        AssertCertificateFault(nameof(A_certificate_not_issued_for_TLS_servers_is_a_certificate_fault_as_mbedTLS_makes_it),
            TestPki.Instance.ClientUsageServer, "serverAuth");
    }

    [Theory]
    [InlineData("expired", "NotTimeValid")]
    [InlineData("not yet valid", "NotTimeValid")]
    [InlineData("self-signed", "UntrustedRoot")]
    public void Expired_not_yet_valid_and_self_signed_certificates_are_certificate_faults(string which, string reason)
    {
        TestPki.ServerFiles certificate = which == "expired" ? TestPki.Instance.ExpiredServer
            : which == "not yet valid" ? TestPki.Instance.NotYetValidServer : TestPki.Instance.SelfSignedServer;
        AssertCertificateFault(nameof(Expired_not_yet_valid_and_self_signed_certificates_are_certificate_faults) + "-" + which.Replace(' ', '-'),
            certificate, "does not chain to the CA in ca.pem (", reason);
    }

    /// <summary>A broker presenting <paramref name="certificate"/> is refused as a certificate fault whose message
    /// names each of <paramref name="fragments"/>.</summary>
    private void AssertCertificateFault(string brokerName, TestPki.ServerFiles certificate, params string[] fragments)
    {
        using var broker = new MosquittoBroker(brokerName, new BrokerOptions { Certificate = certificate });
        using var transport = new MqttNetTransport(3000);
        var listener = new Listener();
        transport.SetListener(listener);
        Report.OnFailure(broker.LogText, () =>
        {
            MqttTransportException e = ConnectFails(transport, Request(broker.Port), listener);
            Assert.Equal(TransportFault.Certificate, e.Fault);
            foreach (string fragment in fragments) Assert.Contains(fragment, e.Message);
        });
    }

    [Fact]
    public void CA_choices_other_than_the_brokers_CA_are_refused()
    {
        // Neither the OS store nor ISRG Root X1 (nor a missing file) may vouch for a certificate our test CA signed.
        using var broker = new MosquittoBroker(nameof(CA_choices_other_than_the_brokers_CA_are_refused));
        using var transport = new MqttNetTransport(3000);
        var listener = new Listener();
        transport.SetListener(listener);
        Report.OnFailure(broker.LogText, () =>
        {
            foreach (string ca in new[] { DeviceSettings.DeviceCaStore, DeviceSettings.BuiltInIsrgRootX1, "/nonexistent/my-ca.pem" })
            {
                MqttTransportException e = ConnectFails(transport, Request(broker.Port, ca: ca), listener);
                Assert.True(e.Fault == TransportFault.Certificate, ca + ": " + e.Fault + " " + e.Message);
            }
        });
    }

    [Fact]
    public void TLS_to_a_plain_MQTT_listener_is_a_handshake_fault()
    {
        using var broker = new MosquittoBroker(nameof(TLS_to_a_plain_MQTT_listener_is_a_handshake_fault), new BrokerOptions { Tls = false });
        using var transport = new MqttNetTransport(3000);
        var listener = new Listener();
        transport.SetListener(listener);
        Report.OnFailure(broker.LogText, () =>
        {
            MqttTransportException e = ConnectFails(transport, Request(broker.Port), listener);
            Assert.Equal(TransportFault.TlsHandshake, e.Fault);
            Assert.Contains("TLS", e.Message);
        });
    }

    [Fact]
    public void A_server_that_never_answers_is_a_timeout_within_the_bound()
    {
        using var silent = new SilentServer();
        using var transport = new MqttNetTransport(1500);
        var listener = new Listener();
        transport.SetListener(listener);
        var clock = System.Diagnostics.Stopwatch.StartNew();
        MqttTransportException e = ConnectFails(transport, Request(silent.Port), listener);
        Assert.Equal(TransportFault.Timeout, e.Fault);
        Assert.Contains("timed out", e.Message);
        Assert.InRange(clock.ElapsedMilliseconds, 1000, 6000);
    }

    [Fact]
    public void Nothing_listening_is_unreachable()
    {
        using var transport = new MqttNetTransport(3000);
        var listener = new Listener();
        transport.SetListener(listener);
        MqttTransportException e = ConnectFails(transport, Request(MosquittoBroker.FreePort()), listener);
        Assert.Equal(TransportFault.Unreachable, e.Fault);
        Assert.Contains("refused", e.Message);
    }

    [Fact]
    public void Broker_crash_is_reported_once_and_a_deliberate_close_never()
    {
        using var broker = new MosquittoBroker(nameof(Broker_crash_is_reported_once_and_a_deliberate_close_never));
        using var transport = new MqttNetTransport(3000);
        var listener = new Listener();
        transport.SetListener(listener);
        Report.OnFailure(broker.LogText, () =>
        {
            Assert.True(transport.Connect(Request(broker.Port)).IsAccepted);
            transport.Close();
            transport.Close();
            Assert.Equal(0, listener.Closed);

            Assert.True(transport.Connect(Request(broker.Port)).IsAccepted);
            broker.Kill();
            Wait.Until(listener.Changed, () => listener.Closed > 0, TimeSpan.FromSeconds(5), "OnConnectionClosed after the broker died", broker.LogText);
            // Nothing is handed to a dead connection: the caller is told, so it keeps the work (a press) for later.
            Assert.False(transport.IsConnected);
            Assert.Throws<MqttNotConnectedException>(() => transport.Publish("topic2", new byte[] { 1 }, 1, false));
            Assert.Throws<MqttNotConnectedException>(() => transport.Subscribe("topic1", 1));
            transport.Close();
            Assert.Equal(1, listener.Closed);
        });
    }
}
