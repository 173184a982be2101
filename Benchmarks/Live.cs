using System.Reflection;
using IotyDevice.Core;
using IotyDevice.TestKit;

namespace IotyDevice.Benchmarks;

/// <summary>Brokers and devices for the live sections. Every broker is remembered so the watchdog can kill it
/// (mosquitto is a child process that an abrupt exit would otherwise leave behind).</summary>
public static class Live
{
    private static readonly List<MosquittoBroker> Brokers = new();

    /// <summary>The client ID of <see cref="DeviceUnderTest.DefaultMac"/>: "240ac4123abc".</summary>
    public static readonly string ClientId = ChipId.FromMac(DeviceUnderTest.DefaultMac);

    public static MosquittoBroker Broker(string name, BrokerOptions options = null)
    {
        var broker = new MosquittoBroker(name, options);
        lock (Brokers) Brokers.Add(broker);
        return broker;
    }

    public static void KillAll()
    {
        MosquittoBroker[] all;
        lock (Brokers) all = Brokers.ToArray();
        foreach (MosquittoBroker b in all)
        {
            try { b.Kill(); } catch (Exception) { }
        }
    }

    /// <summary>The firmware's own tuning: every field of a fresh DeviceOptions (DeviceUnderTest shortens the backoff
    /// for tests; the benchmarks do not, unless a section says so).</summary>
    public static void FirmwareDefaults(DeviceOptions options)
    {
        var defaults = new DeviceOptions();
        foreach (FieldInfo f in typeof(DeviceOptions).GetFields(BindingFlags.Public | BindingFlags.Instance))
            f.SetValue(options, f.GetValue(defaults));
    }

    /// <summary>The real core on the host adapters against <paramref name="broker"/>, running Device.Run() on its own
    /// thread, returned once the broker has logged its SUBSCRIBE to topic1 (only then do messages reach it).</summary>
    public static DeviceUnderTest StartDevice(MosquittoBroker broker, string name, Action<DeviceOptions> edit = null,
        Func<IMqttTransport, IMqttTransport> wrapTransport = null)
    {
        var device = new DeviceUnderTest(name, broker.DeviceSettings(), o =>
        {
            FirmwareDefaults(o);
            edit?.Invoke(o);
        }, wrapTransport: wrapTransport);
        try
        {
            device.ExtraTranscript = broker.LogText;
            device.Start();
            device.WaitForLine("MQTT: subscribed to topic1", timeoutSeconds: 30);
            WaitForSubscriptions(broker, 1);
            return device;
        }
        catch
        {
            device.Dispose();
            throw;
        }
    }

    public static void WaitForSubscriptions(MosquittoBroker broker, int count, string clientId = null)
    {
        clientId ??= ClientId;
        Wait.Until(broker.Changed, () => broker.CountLog(clientId + " 1 topic1") >= count, TimeSpan.FromSeconds(30),
            count + " SUBSCRIBE(s) to topic1 from " + clientId + " in the broker log", broker.LogText);
    }

    /// <summary>The number at the end of a line such as "Received on topic1: r123" (-1 if none), without allocating.</summary>
    public static int TrailingNumber(char[] chars, int count)
    {
        int value = 0, scale = 1, i = count - 1;
        for (; i >= 0 && chars[i] >= '0' && chars[i] <= '9'; i--)
        {
            value += (chars[i] - '0') * scale;
            scale *= 10;
        }
        return i == count - 1 ? -1 : value;
    }

    /// <summary>The number at the end of an ASCII payload such as "r123" (-1 if none).</summary>
    public static int TrailingNumber(ReadOnlySpan<byte> bytes)
    {
        int value = 0, scale = 1, i = bytes.Length - 1;
        for (; i >= 0 && bytes[i] >= (byte)'0' && bytes[i] <= (byte)'9'; i--)
        {
            value += (bytes[i] - '0') * scale;
            scale *= 10;
        }
        return i == bytes.Length - 1 ? -1 : value;
    }
}
