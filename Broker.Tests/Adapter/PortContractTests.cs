using System.Collections.Concurrent;
using System.Text;
using Broker.Tests.Infrastructure;
using IotyDevice.Core;
using IotyDevice.Host.Mqtt;
using Xunit;

namespace Broker.Tests.Adapter;

/// <summary>The host adapter against the port contract (Firmware/Core/Ports/README.md): where the core depends on
/// it, MqttNetTransport must do what M2Mqtt 5.1.220 does on the board, checked against a real Mosquitto.</summary>
public sealed class PortContractTests
{
    private const string ClientId = "contract";

    /// <summary>Records every listener call with the thread it came on; the first message can be held in the
    /// callback, as a full inbox holds the library's dispatch thread on the board.</summary>
    private sealed class Listener : IMqttListener
    {
        public readonly ConcurrentQueue<(string Call, int ThreadId)> Calls = new();
        public readonly Signal Changed = new();
        public readonly ManualResetEventSlim Release = new(true);
        public Func<bool> IsConnectedAtLoss = () => false;
        public bool? WasConnectedAtLoss;

        public string[] Names => Calls.Select(c => c.Call).ToArray();

        private void Record(string call)
        {
            Calls.Enqueue((call, Environment.CurrentManagedThreadId));
            Changed.Pulse();
        }

        public string ThrowOn;

        public void OnMessage(string topic, byte[] payload, int qos)
        {
            Record(topic + ":" + Encoding.UTF8.GetString(payload));
            if (Encoding.UTF8.GetString(payload) == ThrowOn) throw new InvalidOperationException("boom");
            Release.Wait(TimeSpan.FromSeconds(15)); // bounded: a broken test must not hang the library for good
        }

        public void OnSubscribed(int connection, int messageId, int grantedQos) => Record("suback " + grantedQos);

        public void OnPublished(int connection, int messageId, bool confirmed) => Record("puback " + confirmed);

        public void OnConnectionClosed(int connection)
        {
            WasConnectedAtLoss = IsConnectedAtLoss();
            Record("closed");
        }
    }

    private static MqttConnectRequest Request(int port, bool cleanSession = false) => new()
    {
        Host = "localhost",
        Port = port,
        ClientId = ClientId,
        Username = MosquittoBroker.DeviceUser,
        Password = MosquittoBroker.DevicePassword,
        CaCertificate = TestPki.Instance.CaPem,
        CleanSession = cleanSession,
        KeepAliveSeconds = 30,
        WillTopic = "status/" + ClientId,
        WillPayload = Encoding.UTF8.GetBytes("offline"),
        WillQos = 1,
        WillRetain = true,
    };

    /// <summary>Per-packet log lines ("Received PUBACK from contract ...") show what went on the wire when.</summary>
    private static MosquittoBroker PacketLoggingBroker(string name) =>
        new(name, new BrokerOptions { LogTypes = new[] { "all" } });

    /// <summary>Subscribes and waits for the SUBACK event, so it comes before any message the test sends.</summary>
    private static void Subscribed(MosquittoBroker broker, MqttNetTransport transport, Listener listener, int count)
    {
        transport.Subscribe("topic1", 1);
        Wait.Until(listener.Changed, () => listener.Names.Count(n => n == "suback 1") >= count, TimeSpan.FromSeconds(5),
            "the SUBACK", broker.LogText);
    }

    private static int Pubacks(MosquittoBroker broker) => broker.CountLog("Received PUBACK from " + ClientId);

    [Fact]
    public void A_QoS1_message_is_acknowledged_before_the_listener_sees_it_and_Close_throws_away_what_still_waits()
    {
        using var broker = PacketLoggingBroker(nameof(A_QoS1_message_is_acknowledged_before_the_listener_sees_it_and_Close_throws_away_what_still_waits));
        using var peer = AppPeers.Connect(broker);
        using var transport = new MqttNetTransport(3000);
        var listener = new Listener();
        transport.SetListener(listener);
        Report.OnFailure(broker.LogText, () =>
        {
            Assert.True(transport.Connect(Request(broker.Port)).IsAccepted);
            Subscribed(broker, transport, listener, 1);
            listener.Release.Reset();
            foreach (string text in new[] { "m1", "m2", "m3" }) peer.Publish("topic1", text, qos: 1);

            // The listener still holds m1, yet the broker has all three PUBACKs: acknowledged before dispatch.
            Wait.Until(broker.Changed, () => Pubacks(broker) >= 3, TimeSpan.FromSeconds(5), "three PUBACKs while the listener holds m1", broker.LogText);
            Assert.Equal(new[] { "suback 1", "topic1:m1" }, listener.Names);

            // A deliberate close throws away m2 and m3, which the broker will not send again: it has their PUBACKs.
            transport.Close();
            listener.Release.Set();
            Assert.True(transport.Connect(Request(broker.Port)).IsAccepted);
            Subscribed(broker, transport, listener, 2);
            peer.Publish("topic1", "marker", qos: 1);
            Wait.Until(listener.Changed, () => listener.Names.Contains("topic1:marker"), TimeSpan.FromSeconds(5), "the marker", broker.LogText);
            Assert.Equal(new[] { "topic1:m1", "topic1:marker" }, listener.Names.Where(n => n.StartsWith("topic1:")));
        });
    }

    [Fact]
    public void Every_listener_call_comes_on_one_dispatch_thread_and_a_loss_after_what_was_queued_before_it()
    {
        using var broker = PacketLoggingBroker(nameof(Every_listener_call_comes_on_one_dispatch_thread_and_a_loss_after_what_was_queued_before_it));
        using var peer = AppPeers.Connect(broker);
        using var transport = new MqttNetTransport(3000);
        var listener = new Listener { IsConnectedAtLoss = () => transport.IsConnected };
        transport.SetListener(listener);
        Report.OnFailure(broker.LogText, () =>
        {
            Assert.True(transport.Connect(Request(broker.Port)).IsAccepted);
            Subscribed(broker, transport, listener, 1);
            transport.Publish("topic2", Encoding.UTF8.GetBytes("hello"), 1, false);
            Wait.Until(listener.Changed, () => listener.Names.Contains("puback True"), TimeSpan.FromSeconds(5), "the PUBACK of hello", broker.LogText);

            listener.Release.Reset();
            foreach (string text in new[] { "m1", "m2", "m3" }) peer.Publish("topic1", text, qos: 1);
            Wait.Until(broker.Changed, () => Pubacks(broker) >= 3, TimeSpan.FromSeconds(5), "three PUBACKs", broker.LogText);
            broker.Kill();
            Wait.Until(listener.Changed, () => !transport.IsConnected, TimeSpan.FromSeconds(5), "IsConnected to fall when the broker dies", broker.LogText);
            Assert.Throws<MqttNotConnectedException>(() => transport.Publish("topic2", new byte[] { 1 }, 1, false));
            Assert.DoesNotContain("closed", listener.Names); // m2 and m3 are still queued behind the held m1

            listener.Release.Set();
            Wait.Until(listener.Changed, () => listener.Names.Contains("closed"), TimeSpan.FromSeconds(5), "OnConnectionClosed", broker.LogText);
            Assert.Equal(new[] { "suback 1", "puback True", "topic1:m1", "topic1:m2", "topic1:m3", "closed" }, listener.Names);
            Assert.False(listener.WasConnectedAtLoss, "the loss is reported after the library's own close");
            int[] threads = listener.Calls.Select(c => c.ThreadId).Distinct().ToArray();
            Assert.Single(threads);
            Assert.NotEqual(Environment.CurrentManagedThreadId, threads[0]);
        });
    }

    [Fact]
    public void A_listener_that_throws_is_reported_and_the_connection_stays_up()
    {
        using var broker = new MosquittoBroker(nameof(A_listener_that_throws_is_reported_and_the_connection_stays_up));
        using var peer = AppPeers.Connect(broker);
        var traced = new ConcurrentQueue<string>();
        using var transport = new MqttNetTransport(3000, traced.Enqueue);
        var listener = new Listener { ThrowOn = "boom" };
        transport.SetListener(listener);
        Report.OnFailure(broker.LogText, () =>
        {
            Assert.True(transport.Connect(Request(broker.Port)).IsAccepted);
            Subscribed(broker, transport, listener, 1);
            peer.Publish("topic1", "boom", qos: 1);
            peer.Publish("topic1", "after", qos: 1);
            Wait.Until(listener.Changed, () => listener.Names.Contains("topic1:after"), TimeSpan.FromSeconds(5), "the message after the throw", broker.LogText);
            Assert.True(transport.IsConnected);
            Assert.Contains("MQTT: listener failed: boom", traced);
        });
    }

    [Fact]
    public void Close_sends_no_DISCONNECT_so_the_broker_publishes_the_will_and_a_closed_transport_takes_no_work()
    {
        using var broker = new MosquittoBroker(nameof(Close_sends_no_DISCONNECT_so_the_broker_publishes_the_will_and_a_closed_transport_takes_no_work));
        using var watcher = AppPeers.Connect(broker);
        watcher.Subscribe("status/" + ClientId);
        using var transport = new MqttNetTransport(3000);
        var listener = new Listener();
        transport.SetListener(listener);
        Report.OnFailure(broker.LogText, () =>
        {
            Assert.True(transport.Connect(Request(broker.Port)).IsAccepted);
            transport.Close();
            Wait.Until(watcher.Changed, () => watcher.TextsOn("status/" + ClientId).Contains("offline"), TimeSpan.FromSeconds(5),
                "the will after Close()", broker.LogText);
            Assert.False(transport.IsConnected);
            Assert.Throws<MqttNotConnectedException>(() => transport.Publish("topic2", new byte[] { 1 }, 1, false));
            Assert.Throws<MqttNotConnectedException>(() => transport.Subscribe("topic1", 1));
            Assert.Empty(listener.Names); // a deliberate close raises nothing
        });
    }
}
