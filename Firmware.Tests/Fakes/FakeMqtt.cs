using IotyDevice.Core;

namespace Firmware.Tests.Fakes;

/// <summary>Records what the core asks of the transport; the test scripts CONNACKs and faults and raises the
/// library's callbacks.</summary>
public sealed class FakeMqtt : IMqttTransport
{
    public IMqttListener Listener { get; private set; }
    public Queue<object> ConnectOutcomes { get; } = new();
    public List<MqttConnectRequest> Connects { get; } = new();
    public List<(string Topic, int Qos)> Subscribes { get; } = new();
    public List<(string Topic, byte[] Payload, int Qos, bool Retain)> Publishes { get; } = new();
    public int Closes { get; private set; }
    public bool ThrowOnPublish { get; set; }

    /// <summary>Outcome of the next Connect: a CONNACK code (int) or an exception to throw. Default: accepted.</summary>
    public void NextConnect(object outcome) => ConnectOutcomes.Enqueue(outcome);

    /// <summary>Runs inside Connect, to look at the device while it blocks on the network.</summary>
    public Action OnConnect { get; set; }

    public ConnectResult Connect(MqttConnectRequest request)
    {
        Connects.Add(request);
        OnConnect?.Invoke();
        var outcome = ConnectOutcomes.Count > 0 ? ConnectOutcomes.Dequeue() : 0;
        if (outcome is Exception e)
        {
            throw e;
        }

        Connection = Connects.Count;
        return new ConnectResult((int)outcome, sessionPresent: false, Connection);
    }

    /// <summary>The number of the last connection handed out (events of the current connection carry it).</summary>
    public int Connection { get; private set; }

    public bool IsConnected { get; set; } = true;

    private int _lastMessageId;

    public int Subscribe(string topic, int qos)
    {
        Subscribes.Add((topic, qos));
        return ++_lastMessageId;
    }

    public int Publish(string topic, byte[] payload, int qos, bool retain)
    {
        if (ThrowOnPublish)
        {
            throw new InvalidOperationException("socket closed");
        }

        // A copy, as the library's serialisation takes it: the core may reuse a payload array it handed over long ago.
        Publishes.Add((topic, payload?.ToArray(), qos, retain));
        return qos == 0 ? 0 : ++_lastMessageId;
    }

    /// <summary>The library reports the current connection lost, as on its own thread.</summary>
    public void RaiseConnectionClosed() => Listener.OnConnectionClosed(Connection);

    public void Close() => Closes++;

    public void SetListener(IMqttListener listener) => Listener = listener;

    public IEnumerable<string> PublishedTexts(string topic) =>
        Publishes.Where(p => p.Topic == topic).Select(p => System.Text.Encoding.UTF8.GetString(p.Payload));
}
