using IotyDevice.Core;

namespace Broker.Tests.Infrastructure;

/// <summary>One scenario's world: its own Mosquitto, the device under test (optionally reaching the broker through
/// a cuttable TcpProxy), and App Builder peers. Disposing stops the device, then everything else, and keeps the
/// device's monitor next to the broker log under .test-artifacts/.</summary>
public sealed class Rig : IDisposable
{
    private readonly List<IDisposable> _owned = new();
    private readonly string _name;

    public MosquittoBroker Broker { get; }
    public DeviceUnderTest Device { get; }
    public TcpProxy Proxy { get; }

    /// <summary>The client ID the device must use: its chip ID (no prefix in these settings).</summary>
    public string ClientId { get; }

    public Rig(string name, BrokerOptions broker = null, bool viaProxy = false, Action<Dictionary<string, object>> settings = null,
        Action<DeviceOptions> options = null, int connectTimeoutMs = 3000, byte[] mac = null, int? devicePort = null, ILesson lesson = null)
    {
        _name = name;
        Broker = new MosquittoBroker(name, broker);
        _owned.Add(Broker);
        try
        {
            if (viaProxy)
            {
                Proxy = new TcpProxy(Broker.Port);
                _owned.Add(Proxy);
            }
            int port = devicePort ?? Proxy?.Port ?? Broker.Port;
            Device = new DeviceUnderTest(name, Broker.DeviceSettings(s =>
            {
                s["BrokerPort"] = port;
                settings?.Invoke(s);
            }), options, mac, connectTimeoutMs, lesson);
            Device.ExtraTranscript = Broker.LogText;
            ClientId = ChipId.FromMac(Device.Network.MacAddress);
        }
        catch
        {
            Dispose();
            throw;
        }
    }

    public AppPeer Peer(string subscribeTo = null)
    {
        AppPeer peer = AppPeers.Connect(Broker);
        _owned.Add(peer);
        if (subscribeTo != null) peer.Subscribe(subscribeTo);
        return peer;
    }

    public string Transcript() => Device.Transcript();

    /// <summary>Runs the scenario body; a failure carries the device monitor, transport trace and broker log.</summary>
    public void Run(Action body) => Report.OnFailure(Transcript, body);

    public void WaitUntil(Signal signal, Func<bool> condition, int seconds, string what) =>
        Wait.Until(signal, condition, TimeSpan.FromSeconds(seconds), what, Transcript);

    /// <summary>Waits until the broker has logged the device's <paramref name="count"/>-th SUBSCRIBE to topic1: only
    /// then does a message published to topic1 reach it (the device subscribes without waiting for SUBACK).</summary>
    public void WaitForSubscriptions(int count, int seconds = 15) =>
        WaitUntil(Broker.Changed, () => Broker.CountLog(ClientId + " 1 topic1") >= count, seconds,
            count + " SUBSCRIBE(s) to topic1 from " + ClientId + " in the broker log");

    public void Dispose()
    {
        try { Device?.Dispose(); } catch (Exception) { }
        try
        {
            if (Device != null)
                File.WriteAllLines(Path.Combine(Artifacts.LogDirectory(_name), "device-monitor.log"), Device.Monitor.Lines);
        }
        catch (IOException) { }
        for (int i = _owned.Count - 1; i >= 0; i--)
        {
            try { _owned[i].Dispose(); } catch (Exception) { }
        }
    }
}
