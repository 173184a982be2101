using System.Collections.Concurrent;
using IotyDevice.Core;
using IotyDevice.Host.Button;
using IotyDevice.Host.Clock;
using IotyDevice.Host.Mqtt;
using IotyDevice.Host.Network;
using IotyDevice.Host.Settings;

namespace IotyDevice.TestKit;

/// <summary>The real core Device wired to the host adapters (MqttNetTransport, simulated WiFi and BOOT button,
/// settings.json read by JsonSettingsFile) and run on its own thread with Run()/Stop(), as on the board.</summary>
public sealed class DeviceUnderTest : IDisposable
{
    /// <summary>An Espressif-style MAC; its chip ID is "240ac4123abc".</summary>
    public static readonly byte[] DefaultMac = { 0x24, 0x0A, 0xC4, 0x12, 0x3A, 0xBC };

    private readonly Thread _thread;
    private readonly ConcurrentQueue<string> _transportTrace = new();
    private Exception _crash;

    public RecordingMonitor Monitor { get; } = new();
    public SimulatedNetwork Network { get; }
    public SimulatedButton Button { get; }
    public MqttNetTransport Transport { get; }
    public Device Device { get; }
    public DeviceOptions Options { get; }
    public string SettingsPath { get; }
    public Func<string> ExtraTranscript { get; set; }

    /// <param name="settings">The settings.json fields, usually <see cref="MosquittoBroker.DeviceSettings"/>.</param>
    /// <param name="lesson">The lesson to run; null runs Firmware/Lesson.cs, as the board does.</param>
    /// <param name="editOptions">Changes the tuning; the defaults here shorten the backoff to 100 ms..1 s.</param>
    /// <param name="wrapTransport">What the core gets instead of <see cref="Transport"/> itself, e.g. a benchmark's
    /// decorator that timestamps the listener calls; null hands it the transport.</param>
    public DeviceUnderTest(string name, Dictionary<string, object> settings, Action<DeviceOptions> editOptions = null,
        byte[] mac = null, int connectTimeoutMs = 3000, ILesson lesson = null, Func<IMqttTransport, IMqttTransport> wrapTransport = null)
    {
        SettingsPath = MosquittoBroker.WriteSettingsFile(Path.Combine(Artifacts.RunDirectory(name + "-device"), "settings.json"), settings);

        Options = new DeviceOptions { BackoffBaseMs = 100, BackoffCapMs = 1000, StableConnectionMs = 2000 };
        editOptions?.Invoke(Options);
        var wakeup = new Wakeup();
        Network = new SimulatedNetwork(mac ?? DefaultMac);
        Button = new SimulatedButton(wakeup);
        Transport = new MqttNetTransport(connectTimeoutMs, line => _transportTrace.Enqueue(DateTime.Now.ToString("HH:mm:ss.fff ") + line));
        var ports = new DevicePorts
        {
            Network = Network,
            Mqtt = wrapTransport == null ? Transport : wrapTransport(Transport),
            Button = Button,
            Clock = new SystemClock(),
            Monitor = Monitor,
            Settings = new JsonSettingsFile(SettingsPath),
        };
        Device = lesson == null ? new Device(ports, Options, wakeup) : new Device(ports, Options, wakeup, lesson);
        _thread = new Thread(RunDevice) { IsBackground = true, Name = "device loop " + name };
    }

    public void Start() => _thread.Start();

    private void RunDevice()
    {
        try
        {
            Device.Run();
        }
        catch (Exception e)
        {
            _crash = e;
            Monitor.WriteLine("TEST: the device loop crashed: " + e);
        }
    }

    public bool IsAlive => _thread.IsAlive && _crash == null;

    /// <summary>Stops the loop and checks it really ended (Run returned) within a bound.</summary>
    public void Stop()
    {
        if (!_thread.IsAlive) return;
        Device.Stop();
        if (!_thread.Join(TimeSpan.FromSeconds(15)))
            throw new ScenarioFailure("Device.Stop() did not end Run() within 15 s\n" + Transcript());
    }

    /// <summary>One BOOT press as fingers do it: the contact bounces (down/up/down within a few ms), is held
    /// well past the debounce time, then released and left to settle.</summary>
    public void PressBoot()
    {
        Button.Press();
        Thread.Sleep(2);
        Button.Release();
        Thread.Sleep(2);
        Button.Press();
        Thread.Sleep(Options.DebounceMs * 3);
        Button.Release();
        Thread.Sleep(2);
        Button.Press();
        Thread.Sleep(1);
        Button.Release();
        Thread.Sleep(Options.DebounceMs * 3);
    }

    public void WaitForLine(string fragment, int count = 1, int timeoutSeconds = 15) =>
        Wait.Until(Monitor.Changed, () => Monitor.Count(fragment) >= count, TimeSpan.FromSeconds(timeoutSeconds),
            count + " monitor line(s) containing \"" + fragment + "\"", Transcript);

    public string Transcript() =>
        Monitor.Transcript + "\n---- transport trace ----\n" + string.Join("\n", _transportTrace.TakeLast(40))
        + (ExtraTranscript == null ? "" : "\n" + ExtraTranscript());

    public void Dispose()
    {
        try { Stop(); } catch (Exception) { }
        Transport.Close();
    }
}
