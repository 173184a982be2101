using System.Net;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Broker.Tests.Infrastructure;
using MQTTnet.Protocol;
using MQTTnet.Server;
using Xunit;

namespace Broker.Tests.Scenarios;

/// <summary>Issue 12: a broker that refuses the subscription (SUBACK 0x80, as HiveMQ Cloud does for a credential
/// without read permission on the topic) is said on the monitor, from the core, instead of "subscribed".</summary>
/// <remarks>Mosquitto 2.0.11 cannot show it: with an acl_file denying topic1 to the device user it still grants
/// the SUBSCRIBE (SUBACK QoS 1) on MQTT 3.1.1 and then silently delivers nothing (seen here while writing this
/// test). So the refusal comes from an in-process MQTTnet broker over TLS whose subscription interceptor answers
/// "not authorized", which MQTTnet encodes as 0x80 for a 3.1.1 client: the same bytes HiveMQ Cloud sends.</remarks>
public sealed class RefusedSubscriptionTests
{
    [Fact]
    public void A_subscription_the_broker_refuses_is_one_line_naming_the_topic_and_the_permission()
    {
        TestPki pki = TestPki.Instance;
        using var pem = X509Certificate2.CreateFromPemFile(pki.Server.CertPem, pki.Server.KeyPem);
        using var certificate = X509CertificateLoader.LoadPkcs12(pem.Export(X509ContentType.Pkcs12), null);
        MqttServerOptions options = new MqttServerOptionsBuilder()
            .WithoutDefaultEndpoint()
            .WithEncryptedEndpoint()
            .WithEncryptedEndpointBoundIPAddress(IPAddress.Loopback)
            .WithEncryptedEndpointBoundIPV6Address(IPAddress.None)
            .WithEncryptedEndpointPort(MosquittoBroker.FreePort())
            .WithEncryptionCertificate(certificate)
            .WithEncryptionSslProtocol(SslProtocols.Tls12)
            .Build();
        using MqttServer server = new MqttServerFactory().CreateMqttServer(options);
        int refused = 0;
        server.InterceptingSubscriptionAsync += e =>
        {
            if (e.TopicFilter.Topic == "topic1")
            {
                e.Response.ReasonCode = MqttSubscribeReasonCode.NotAuthorized;
                e.ProcessSubscription = false;
                Interlocked.Increment(ref refused);
            }
            return Task.CompletedTask;
        };
        server.StartAsync().GetAwaiter().GetResult();

        var settings = new Dictionary<string, object>
        {
            ["WifiSsid"] = "ioty-lab",
            ["WifiPassword"] = "wifi-pass-1",
            ["BrokerHost"] = "localhost",
            ["BrokerPort"] = options.TlsEndpointOptions.Port,
            ["BrokerUsername"] = MosquittoBroker.DeviceUser,
            ["BrokerPassword"] = MosquittoBroker.DevicePassword,
            ["CaCertificate"] = pki.CaPem,
        };
        using var device = new DeviceUnderTest(nameof(A_subscription_the_broker_refuses_is_one_line_naming_the_topic_and_the_permission), settings);
        Report.OnFailure(device.Transcript, () =>
        {
            device.Start();
            device.WaitForLine("refused the subscription to topic1");
            Assert.Contains("MQTT: the broker refused the subscription to topic1 (SUBACK 0x80), so nothing sent to it will arrive; "
                + "allow BrokerUsername to subscribe to topic1 in the broker's permissions (HiveMQ Cloud: Access Management)",
                device.Monitor.Lines);
            Assert.Equal(0, device.Monitor.Count("MQTT: subscribed to topic1"));
            Assert.Equal(1, Volatile.Read(ref refused));
            device.Stop();
        });
        server.StopAsync().GetAwaiter().GetResult();
    }
}
