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
    public bool ThrowOnSubscribe { get; set; }

    /// <summary>Outcome of the next Connect: a CONNACK code (int) or an exception to throw. Default: accepted.</summary>
    public void NextConnect(object outcome) => ConnectOutcomes.Enqueue(outcome);

    /// <summary>Runs inside Connect, to look at the device while it blocks on the network.</summary>
    public Action OnConnect { get; set; }

    /// <summary>Runs inside Publish once it is recorded (topic, payload text), e.g. to hand over messages meanwhile.</summary>
    public Action<string, string> OnPublish { get; set; }

    /// <summary>Runs inside Close, before the connection reads as closed.</summary>
    public Action OnClose { get; set; }

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
        IsConnected = (int)outcome == ConnectResult.Accepted;
        return new ConnectResult((int)outcome, SessionPresent, Connection);
    }

    /// <summary>What the next accepted CONNACKs say about a session the broker kept.</summary>
    public bool SessionPresent { get; set; }

    /// <summary>The number of the last connection handed out (events of the current connection carry it).</summary>
    public int Connection { get; private set; }

    /// <summary>Open after an accepted Connect; false after Close or a reported loss. While false, Publish and
    /// Subscribe throw MqttNotConnectedException, as the port promises. A test may set it false to play a client
    /// that died before the loop heard of it.</summary>
    public bool IsConnected { get; set; }

    /// <summary>Raise the PUBACK of a QoS 1 publish at once, inside Publish, before its id is returned (as a fast
    /// broker can). False: the test raises acks itself (<see cref="Ack"/>) or never.</summary>
    public bool AutoAck { get; set; } = true;

    /// <summary>The SUBACK code raised inside Subscribe: the granted QoS, or 0x80 for a refusal; null raises none.</summary>
    public int? SubscribeGrant { get; set; } = 1;

    /// <summary>(connection, message id) of every QoS 1/2 publish, in order.</summary>
    public List<(int Connection, int MessageId)> PublishIds { get; } = new();

    private int _lastMessageId;

    public int Subscribe(string topic, int qos)
    {
        if (!IsConnected)
        {
            throw new MqttNotConnectedException("MQTT is not connected");
        }

        if (ThrowOnSubscribe)
        {
            throw new InvalidOperationException("socket closed");
        }

        Subscribes.Add((topic, qos));
        int id = ++_lastMessageId;
        if (SubscribeGrant is int granted)
        {
            Listener.OnSubscribed(Connection, id, granted);
        }

        return id;
    }

    public int Publish(string topic, byte[] payload, int qos, bool retain)
    {
        if (!IsConnected)
        {
            throw new MqttNotConnectedException("MQTT is not connected; the publish to " + topic + " was not sent");
        }

        if (ThrowOnPublish)
        {
            throw new InvalidOperationException("socket closed");
        }

        // A copy, as the library's serialisation takes it: the core may reuse a payload array it handed over long ago.
        Publishes.Add((topic, payload?.ToArray(), qos, retain));
        OnPublish?.Invoke(topic, payload == null ? "" : System.Text.Encoding.UTF8.GetString(payload));
        if (qos == 0)
        {
            return 0;
        }

        int id = ++_lastMessageId;
        PublishIds.Add((Connection, id));
        if (AutoAck)
        {
            Listener.OnPublished(Connection, id, true);
        }

        return id;
    }

    /// <summary>Raises the PUBACK (or the library giving up: confirmed false) of a publish, as on its own thread.</summary>
    public void Ack((int Connection, int MessageId) publish, bool confirmed = true) =>
        Listener.OnPublished(publish.Connection, publish.MessageId, confirmed);

    /// <summary>The library reports the current connection lost, as on its own thread.</summary>
    public void RaiseConnectionClosed()
    {
        IsConnected = false;
        Listener.OnConnectionClosed(Connection);
    }

    public void Close()
    {
        OnClose?.Invoke();
        Closes++;
        IsConnected = false;
    }

    public void SetListener(IMqttListener listener) => Listener = listener;

    public IEnumerable<string> PublishedTexts(string topic) =>
        Publishes.Where(p => p.Topic == topic).Select(p => System.Text.Encoding.UTF8.GetString(p.Payload));
}
