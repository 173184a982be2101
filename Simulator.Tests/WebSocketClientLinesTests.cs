using MQTTnet;
using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>The simulator says when an App Builder arrives and leaves over WebSockets, so "the page never reached the
/// broker" (no line), "it reached it with a wrong password" (the refusal) and "it is connected" read differently.</summary>
public class WebSocketClientLinesTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    [Fact]
    public void An_App_Builder_arriving_and_leaving_over_WebSockets_is_one_line_each_and_a_wrong_password_is_the_refusal()
    {
        using var dir = new TempDir();
        string state = dir.File("state");
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--web-port", "0", "--state-dir", state);
        sim.Verify(() =>
        {
            string page = AppBuilderPageTests.PageUrl(sim);
            sim.WaitForLine("[sim] the device is online; running the script", Long);
            string password = File.ReadAllText(Path.Combine(state, "broker-password.txt")).Trim();

            using (IMqttClient app = Connect(page, "IoTy-12345678", password, out bool accepted))
            {
                Assert.True(accepted);
                sim.WaitForLine("[sim] App Builder IoTy-12345678 connected over WebSockets", Long);
                app.DisconnectAsync().GetAwaiter().GetResult();
                sim.WaitForLine("[sim] App Builder IoTy-12345678 disconnected from WebSockets", Long);
            }

            using (Connect(page, "IoTy-87654321", "not-the-password", out bool accepted))
            {
                Assert.False(accepted);
                sim.WaitForLine("[sim] broker: refused client 'IoTy-87654321': wrong user name or password", Long);
            }

            Assert.Equal(1, sim.Count("[sim] App Builder IoTy-12345678 connected over WebSockets"));
            Assert.DoesNotContain(sim.Lines, l => l.StartsWith("[sim] App Builder IoTy-87654321", StringComparison.Ordinal));
            // The board and the simulator's own App Builder client come in over TLS: no such line for them.
            Assert.Equal(2, sim.Lines.Count(l => l.StartsWith("[sim] App Builder IoTy-", StringComparison.Ordinal)));
            Assert.DoesNotContain(sim.Lines, l => l.Contains("240ac412abfe connected over", StringComparison.Ordinal));
        });
    }

    private static IMqttClient Connect(string page, string clientId, string password, out bool accepted)
    {
        IMqttClient client = new MqttClientFactory().CreateMqttClient();
        MqttClientOptions options = new MqttClientFactory().CreateClientOptionsBuilder()
            .WithWebSocketServer(ws => ws.WithUri(page.Replace("http://", "ws://") + "mqtt"))
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V311)
            .WithClientId(clientId)
            .WithCleanSession(true)
            .WithCredentials("learner", password)
            .WithTimeout(TimeSpan.FromSeconds(10))
            .Build();
        try
        {
            accepted = client.ConnectAsync(options).GetAwaiter().GetResult().ResultCode == MqttClientConnectResultCode.Success;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException)
        {
            accepted = false; // the broker's refusal (CONNACK 4)
        }
        return client;
    }
}
