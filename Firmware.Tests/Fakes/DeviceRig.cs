using IotyDevice.Core;

namespace Firmware.Tests.Fakes;

/// <summary>A Device on fakes, stepped by the test with time advanced by hand: no threads, no sleeps.</summary>
public sealed class DeviceRig
{
    public FakeClock Clock { get; } = new();
    public RecordingMonitor Monitor { get; } = new();
    public FakeNetwork Network { get; } = new();
    public FakeMqtt Mqtt { get; } = new();
    public FakeButton Button { get; }
    public FakeSettings Settings { get; } = new();
    public FakePins Pins { get; } = new();

    /// <summary>The lesson to run; null runs Firmware/Lesson.cs, as the board does.</summary>
    public ILesson Lesson { get; set; }
    public DeviceOptions Options { get; } = new() { Random = new Random(7) };
    public Wakeup Wakeup { get; } = new();
    public Device Device { get; private set; }
    public IStatusLight Light { get; set; } // none unless a test gives one

    public DeviceRig() => Button = new FakeButton(Clock);

    public DeviceRig Start()
    {
        var ports = new DevicePorts
        {
            Network = Network, Mqtt = Mqtt, Button = Button, Clock = Clock, Monitor = Monitor, Settings = Settings,
            Light = Light, Pins = Pins,
        };
        Device = Lesson == null ? new Device(ports, Options, Wakeup) : new Device(ports, Options, Wakeup, Lesson);
        Device.Start();
        return this;
    }

    /// <summary>Steps the device, advancing the clock by what each step asks for, until the condition holds
    /// or the (simulated) time budget is spent.</summary>
    public bool RunUntil(Func<bool> condition, long budgetMs = 120_000)
    {
        long end = Clock.NowMs + budgetMs;
        while (!condition())
        {
            if (Clock.NowMs - end > 0) // wrap-safe, like the core's deadlines
            {
                return false;
            }

            int wait = Device.Step();
            if (condition())
            {
                return true;
            }

            Clock.Advance(Math.Max(wait, 1));
        }

        return true;
    }

    public DeviceRig StartOnline()
    {
        Start();
        if (!RunUntil(() => Device.State == ConnectionState.Online))
        {
            throw new InvalidOperationException("never came online:\n" + Monitor.Transcript);
        }

        Device.Step(); // the pass that reports the SUBACK the fake raised during the connect

        return this;
    }

    /// <summary>A debounced BOOT press: bounce, hold past the debounce time, release.</summary>
    public void Press()
    {
        foreach (bool level in new[] { true, false, true, false, true })
        {
            Button.IsDown = level;
            Device.Step();
            Clock.Advance(2);
        }

        Hold(Options.DebounceMs + 5);
        Button.IsDown = false;
        Hold(Options.DebounceMs + 5);
    }

    public void Hold(long ms)
    {
        long end = Clock.NowMs + ms;
        while (Clock.NowMs - end < 0)
        {
            Device.Step();
            Clock.Advance(1);
        }
    }

    /// <summary>The library reports the connection lost <paramref name="times"/> times in a row, each time as soon as
    /// the device is back online (quick drops: the MQTT backoff grows); returns the clock at each return.</summary>
    public List<long> DropAndReconnect(int times)
    {
        var onlineAt = new List<long>();
        for (int i = 0; i < times; i++)
        {
            Mqtt.RaiseConnectionClosed();
            int before = Mqtt.Connects.Count;
            if (!RunUntil(() => Mqtt.Connects.Count > before && Device.State == ConnectionState.Online))
            {
                throw new InvalidOperationException("not back online after drop " + (i + 1) + ":\n" + Monitor.Transcript);
            }

            onlineAt.Add(Clock.NowMs);
        }

        return onlineAt;
    }

    public void Receive(string topic, string text) =>
        Mqtt.Listener.OnMessage(topic, System.Text.Encoding.UTF8.GetBytes(text), 0);
}
