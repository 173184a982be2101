using System.Text;
using IotyDevice.Core;
using IotyDevice.Host.Network;

namespace IotyDevice.Benchmarks;

/// <summary>Section 9: the firmware's own managed memory as the nanoFramework heap of a 32-bit ESP32 would hold it
/// (<see cref="NanoHeap"/>), on the board configuration (mirror on, default DeviceOptions and settings): steady
/// state, and the peak during each stress, sampled between loop passes with the real core on fakes and a manual
/// clock. Counted: every object the Device reaches, except the ports (transport, network, button, clock, monitor,
/// settings file, light, pins: the adapters, M2Mqtt and the runtime), plus the device adapters' own objects, modelled
/// from their fields (Firmware/Device only compiles for nanoFramework). Messages waiting in the inbox count; the one
/// being handled is gone by the time a pass ends.</summary>
public static class MemoryBench
{
    public const string Section = "9. Firmware memory on the board (nanoCLR heap model)";
    public const int SteadyTargetBytes = 12 * 1024;
    public const int WorstTargetBytes = 20 * 1024;
    private const string Topic = "topic1";
    private const string LoopPart = "loop and connection state";

    /// <summary>The largest payload on topic1 that fits the board's packet limit on MQTT 5: fixed header (1 + 2
    /// length bytes), topic (2 + 6), packet id (2), properties length (1).</summary>
    public static readonly int LargestPayload = MqttLimits.MaxPacketBytes - (1 + 2 + 2 + Topic.Length + 2 + 1);

    public sealed record Snapshot(long NanoBytes, long HostBytes, Dictionary<string, NanoHeap.Count> Parts)
    {
        public string Shares(int top = 6) => string.Join(", ", Parts.Where(p => p.Value.NanoBytes > 0).OrderByDescending(p => p.Value.NanoBytes)
            .Take(top).Select(p => p.Key + " " + Kb(p.Value.NanoBytes)));
    }

    public static string Kb(long bytes) => (bytes / 1024.0).ToString("0.0") + " KB";

    // ---- The board on fakes ---------------------------------------------------------------------------------------

    private sealed class FakeTransport : IMqttTransport
    {
        public IMqttListener Listener;
        public bool Connected;
        public bool Refuse;
        public bool HoldAcks; // a silent loss: the library still thinks it is connected, no PUBACK comes
        public int Connection;
        private int _ids;
        private readonly List<int> _publishes = new();
        private readonly List<int> _subscribes = new();

        public ConnectResult Connect(MqttConnectRequest request)
        {
            if (Refuse) throw new MqttTransportException(TransportFault.Unreachable, "connection refused: nothing listens on port 8883", null);
            Connected = true;
            return new ConnectResult(ConnectResult.Accepted, true, ++Connection);
        }

        public bool IsConnected => Connected;

        public int Subscribe(string topic, int qos)
        {
            if (!Connected) throw new MqttNotConnectedException("not connected");
            _subscribes.Add(++_ids);
            return _ids;
        }

        public int Publish(string topic, byte[] payload, int qos, bool retain)
        {
            if (!Connected) throw new MqttNotConnectedException("not connected");
            if (qos == 0) return 0;
            _publishes.Add(++_ids);
            return _ids;
        }

        public void Close() => Connected = false;

        public void SetListener(IMqttListener listener) => Listener = listener;

        /// <summary>The broker's SUBACKs and PUBACKs for what was sent since the last call.</summary>
        public void Acknowledge()
        {
            if (!Connected || HoldAcks) return;
            foreach (int id in _subscribes) Listener.OnSubscribed(Connection, id, 1);
            foreach (int id in _publishes) Listener.OnPublished(Connection, id, true);
            _subscribes.Clear();
            _publishes.Clear();
        }

        public void Drop()
        {
            Connected = false;
            Listener.OnConnectionClosed(Connection);
        }
    }

    /// <summary>BOOT with changes stamped on the manual clock.</summary>
    private sealed class ManualButton : IButtonInput
    {
        private readonly ButtonChanges _changes = new ButtonChanges(32);
        public bool IsDown { get; private set; }
        public void Open(int pin) { }
        public int TakeChanges(long[] atMs, bool[] down) => _changes.Take(atMs, down);
        public void Set(bool down, long nowMs)
        {
            IsDown = down;
            _changes.Record(down, nowMs);
        }
    }

    private sealed class SilentMonitor : IMonitor
    {
        public void WriteLine(string line) { }
        public void WriteLine(char[] chars, int count) { }
    }

    private sealed class Board
    {
        public readonly AllocationBench.ManualClock Clock = new();
        public readonly FakeTransport Mqtt = new();
        public readonly ManualButton Button = new();
        public readonly Device Device;
        private readonly HashSet<object> _ports = new(ReferenceEqualityComparer.Instance);

        public Board()
        {
            var ports = new DevicePorts
            {
                Network = new SimulatedNetwork(new byte[] { 0x24, 0x0A, 0xC4, 0x12, 0x3A, 0xBC }),
                Mqtt = Mqtt,
                Button = Button,
                Clock = Clock,
                Monitor = new SilentMonitor(),
                Settings = new AllocationBench.FixedSettings { Mirror = true },
            };
            foreach (object port in new object[] { ports.Network, ports.Mqtt, ports.Button, ports.Clock, ports.Monitor, ports.Settings, ports.Light, ports.Pins })
                if (port != null) _ports.Add(port);
            Device = new Device(ports, new DeviceOptions(), new Wakeup());
            Device.Start();
            StepUntil(() => Device.State == ConnectionState.Online, 1000);
        }

        public void Step(int advanceMs = 1)
        {
            Device.Step();
            Mqtt.Acknowledge();
            Clock.Now += advanceMs;
        }

        public void StepUntil(Func<bool> done, int maxSteps, int advanceMs = 10)
        {
            for (int i = 0; i < maxSteps && !done(); i++) Step(advanceMs);
            if (!done()) throw new InvalidOperationException("the core on fakes did not get there: " + Device.State);
        }

        public Snapshot Measure()
        {
            Dictionary<string, NanoHeap.Count> parts = NanoHeap.Measure(Device, LoopPart, PartOf, _ports);
            foreach (var (name, count) in DeviceSide()) parts[name] = count;
            return new Snapshot(parts.Values.Sum(c => c.NanoBytes), parts.Values.Sum(c => c.HostBytes), parts);
        }

        public void Receive(int payloadBytes, int qos, int n)
        {
            byte[] template = Encoding.ASCII.GetBytes(new string('x', payloadBytes));
            for (int i = 0; i < n; i++) Mqtt.Listener.OnMessage(Topic, (byte[])template.Clone(), qos); // a new array each, as the library makes
        }
    }

    private static string PartOf(object o) => o switch
    {
        Inbox => "inbox",
        MonitorMirror => "monitor mirror",
        Outbox => "outbox",
        MessageLine => "message line buffer",
        DeviceSettings => "settings",
        LessonRunner => "lesson (runner, Board, MqttMessage)",
        Subscriptions => "subscriptions",
        BootButton => "BOOT debounce",
        StatusLight => "status light",
        ConnectionCloser => "connection closer",
        _ => null,
    };

    /// <summary>The device adapters' own objects (Firmware/Device, Program.cs), modelled from their fields: one block
    /// per field plus the header, the core objects they create (ButtonChanges, Flag, AutoResetEvent), 6 bytes of MAC,
    /// and a delegate per event handler they register. Library objects they hold (GpioController, GpioPin,
    /// WifiAdapter, MqttClient, X509Certificate) are the libraries'.</summary>
    private static IEnumerable<(string, NanoHeap.Count)> DeviceSide()
    {
        const int delegateBytes = 3 * NanoHeap.Block;
        long Shell(int fields) => NanoHeap.Block * (1 + fields);
        var extras = new object[] { new ButtonChanges(32), new Flag(), new AutoResetEvent(false), new byte[6], new object(), new System.Collections.ArrayList(), new object[0] };
        long extra = extras.Sum(NanoHeap.NanoSize) + NanoHeap.NanoSize(new long[32]) + NanoHeap.NanoSize(new bool[32]); // ButtonChanges' arrays
        long hostExtra = extras.Sum(NanoHeap.HostSize) + NanoHeap.HostSize(new long[32]) + NanoHeap.HostSize(new bool[32]);
        long shells = Shell(5) + 3 * delegateBytes      // WifiNetwork: _up, _wakeup, _scanDone, _adapter, _mac; 3 handlers
                      + Shell(4) + Shell(5) + 5 * delegateBytes // M2MqttTransport (+ its _sync) and one Link with 5 handlers
                      + Shell(4) + delegateBytes        // GpioBootButton: _controller, _wakeup, _changes, _pin; ValueChanged
                      + Shell(2) + Shell(4)             // GpioOutputPins (_controller, _open), GpioStatusLight
                      + Shell(0) + Shell(0) + Shell(1); // ConsoleMonitor, DeviceClock, SettingsFile (_path: a literal)
        yield return ("device adapters", new NanoHeap.Count { NanoBytes = shells + extra, HostBytes = shells * 2 + hostExtra, Objects = 17 });
    }

    // ---- The stresses -----------------------------------------------------------------------------------------------

    public sealed record Result(Snapshot Steady, Snapshot Ordinary, Snapshot Qos0, int Qos0Dropped, Snapshot Qos1, int Qos1Dropped,
        Snapshot Largest, Snapshot Outbox, int OutboxKept, Snapshot Mirror, int MirrorWaiting, long PayloadHeldAfter);

    private static Snapshot Max(Snapshot a, Snapshot b) => a == null || b.NanoBytes > a.NanoBytes ? b : a;

    public static Result Measure()
    {
        // Steady: 200 ordinary switch messages at an App Builder's pace (the mirror keeps up), then idle.
        var board = new Board();
        Snapshot ordinary = null;
        for (int i = 0; i < 200; i++)
        {
            board.Mqtt.Listener.OnMessage(Topic, Encoding.ASCII.GetBytes(i % 2 == 0 ? "on" : "off"), 1);
            ordinary = Max(ordinary, board.Measure());
            board.Step(500);
            ordinary = Max(ordinary, board.Measure());
        }
        for (int i = 0; i < 20; i++) board.Step(500);
        Snapshot steady = board.Measure();
        long payloadHeld = PayloadHeld(board);

        (Snapshot qos0, int qos0Dropped) = Flood(0, 100, 10_000, 40);
        (Snapshot qos1, int qos1Dropped) = Flood(1, 100, 10_000, 40);
        (Snapshot largest, _) = Flood(1, LargestPayload, 2_000, 4);

        // A silent loss: BOOT is pressed 12 times and no PUBACK comes (the outbox keeps 8 until confirmed). Then the
        // connection drops, the broker stays unreachable and the failures fill the mirror's ring for ten minutes;
        // then the broker is back and the ring goes out.
        board = new Board();
        board.Mqtt.HoldAcks = true;
        Snapshot outbox = null;
        for (int press = 0; press < 12; press++)
        {
            board.Button.Set(true, board.Clock.Now);
            for (int i = 0; i < 10; i++) board.Step(10);
            board.Button.Set(false, board.Clock.Now);
            for (int i = 0; i < 10; i++) board.Step(10);
            outbox = Max(outbox, board.Measure());
        }
        int outboxKept = board.Device.UnconfirmedPublishes;
        board.Mqtt.HoldAcks = false;
        board.Mqtt.Refuse = true;
        board.Mqtt.Drop();
        Snapshot mirror = null;
        for (int s = 0; s < 600; s++)
        {
            board.Step(1000);
            if (s % 10 == 0) mirror = Max(mirror, board.Measure());
        }
        int waiting = MirrorWaiting(board);
        board.Mqtt.Refuse = false;
        for (int i = 0; i < 2000 && (board.Device.State != ConnectionState.Online || MirrorWaiting(board) > 0); i++)
        {
            board.Step(50);
            mirror = Max(mirror, board.Measure());
        }
        return new Result(steady, ordinary, qos0, qos0Dropped, qos1, qos1Dropped, largest, outbox, outboxKept, mirror, waiting, payloadHeld);
    }

    /// <summary>Messages put faster than the loop takes them (<paramref name="burst"/> per pass, a pass per ms), on a
    /// fresh board; the peak is sampled with the burst waiting, before each pass.</summary>
    private static (Snapshot Peak, int Dropped) Flood(int qos, int payloadBytes, int total, int burst)
    {
        var board = new Board();
        Snapshot peak = null;
        for (int sent = 0; sent < total; sent += burst)
        {
            board.Receive(payloadBytes, qos, burst);
            if (sent / burst % Math.Max(1, total / burst / 400) == 0) peak = Max(peak, board.Measure());
            board.Step(1);
        }
        for (int i = 0; i < 100; i++) board.Step(100);
        return (peak, board.Device.DroppedMessages);
    }

    private static int MirrorWaiting(Board board)
    {
        var mirror = (MonitorMirror)typeof(Device).GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.NonPublic)
            .Select(f => f.GetValue(board.Device)).FirstOrDefault(v => v is MonitorMirror);
        return mirror?.Waiting ?? 0;
    }

    /// <summary>Bytes of payload the core still reaches once a 4 KB message has been handled.</summary>
    private static long PayloadHeld(Board board)
    {
        board.Receive(LargestPayload, 1, 1);
        board.Step(500);
        board.Step(500);
        var seen = new HashSet<object>(ReferenceEqualityComparer.Instance);
        long held = 0;
        var queue = new Queue<object>();
        queue.Enqueue(board.Device);
        seen.Add(board.Mqtt);
        while (queue.Count > 0)
        {
            object o = queue.Dequeue();
            if (o is byte[] b && b.Length == LargestPayload) held += b.Length;
            if (o is string || o is Array { } a && a.GetType().GetElementType().IsValueType) continue;
            IEnumerable<object> children = o is Array arr ? arr.Cast<object>()
                : o.GetType().GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic)
                    .Where(f => !f.FieldType.IsValueType).Select(f => f.GetValue(o));
            foreach (object c in children)
                if (c != null && !(c is Delegate) && !(c is WaitHandle) && seen.Add(c)) queue.Enqueue(c);
        }
        return held;
    }

    // ---- The report ---------------------------------------------------------------------------------------------------

    public static void Run(BenchReport report)
    {
        Result r = Measure();
        void Add(string id, string what, Snapshot s, string extra, long target)
        {
            bool met = s.NanoBytes <= target;
            report.Add(new Row(id, what, Kb(s.NanoBytes) + extra, Kb(s.HostBytes) + " (.NET 64-bit)", s.Shares(3),
                target == SteadyTargetBytes ? "≤ 12 KB" : "≤ 20 KB", met ? Verdict.Met : Verdict.Missed));
            if (!met) report.Missed($"{id} {what}: {Kb(s.NanoBytes)} > {Kb(target)}; largest parts: {s.Shares()}.");
            Console.WriteLine($"   {id} {what}: board {Kb(s.NanoBytes)}, host {Kb(s.HostBytes)}; {s.Shares(8)}");
        }

        Add("9a", "firmware heap, steady (after 200 messages, idle)", r.Steady, "", SteadyTargetBytes);
        Add("9b", "peak during 200 ordinary messages", r.Ordinary, "", WorstTargetBytes);
        Add("9c", "peak during a QoS 0 flood (10,000 × 100 B)", r.Qos0, $", {r.Qos0Dropped:N0} dropped", WorstTargetBytes);
        Add("9d", "peak during a QoS 1 flood (10,000 × 100 B)", r.Qos1, $", {r.Qos1Dropped:N0} dropped (counted)", WorstTargetBytes);
        Add("9e", $"peak during 2,000 of the largest message ({LargestPayload} B)", r.Largest, "", WorstTargetBytes);
        Add("9f", "peak with a full outbox (12 presses, no PUBACK)", r.Outbox, $", {r.OutboxKept} kept", WorstTargetBytes);
        Add("9g", "peak with a full mirror after 10 min offline, then reconnecting", r.Mirror, $", {r.MirrorWaiting} lines waited", WorstTargetBytes);
        Snapshot worst = new[] { r.Ordinary, r.Qos0, r.Qos1, r.Largest, r.Outbox, r.Mirror }.MaxBy(s => s.NanoBytes);
        report.Add(new Row("9h", "payload bytes the core holds once its message was handled", r.PayloadHeldAfter + " B", "", "", "0 B",
            r.PayloadHeldAfter == 0 ? Verdict.Met : Verdict.Missed));
        if (r.PayloadHeldAfter != 0) report.Missed($"9h: the core still holds {r.PayloadHeldAfter} B of a handled payload.");

        report.Note(Section, "**How it is counted.** Benchmarks/NanoHeap.cs walks the object graph from the `Device` instance with reflection, "
            + "skipping the ports (transport, network, button, clock, monitor, settings file; on the board: the adapters' libraries, M2Mqtt and the "
            + "runtime) and counts each object as nanoCLR lays it out on a 32-bit ESP32 (nanoframework/nf-interpreter: "
            + "src/CLR/Include/nanoCLR_Runtime__HeapBlock.h, src/CLR/Core/Execution.cpp, CLR_RT_HeapBlock_String.cpp, TypeSystemLookup.cpp): "
            + "the heap is made of 12-byte `CLR_RT_HeapBlock`s; an object takes one block of header and one per instance field whatever the field's "
            + "type; an array a 20-byte `CLR_RT_HeapBlock_Array` header plus its elements (1 B bool/byte, 2 B char, 4 B int, 8 B long, a 12-byte "
            + "block per reference), rounded up to whole blocks; a string made at run time a 12-byte header plus its UTF-8 bytes and a NUL, rounded up, "
            + "a literal only the header (its text stays in the assembly). Wait handles, Random and delegates count as fixed blocks. The device "
            + "adapters (Firmware/Device, which compile only for nanoFramework) are modelled from their fields: "
            + $"{Kb(r.Steady.Parts["device adapters"].NanoBytes)}. The .NET column is the same graph with 64-bit .NET's layout (16-byte headers, "
            + "8-byte references, UTF-16 strings). Samples are taken between loop passes (the one message being handled is gone by then; messages "
            + "waiting in the inbox count), with the real core on fakes and a manual clock, on the board configuration: mirror on (MonitorTopic "
            + $"default), default DeviceOptions (inbox {new DeviceOptions().InboxCapacity} messages / {new DeviceOptions().InboxMaxBytes} B, "
            + $"outbox {new DeviceOptions().OutboxCapacity}, mirror ring {new DeviceOptions().MonitorMirrorLines} lines, MaxPayloadChars "
            + $"{new DeviceOptions().MaxPayloadChars}), MQTT packets at most {MqttLimits.MaxPacketBytes} B.");
        report.Note(Section, $"**Shares.** Steady ({Kb(r.Steady.NanoBytes)}): {r.Steady.Shares(10)}. Worst case ({Kb(worst.NanoBytes)}, "
            + $"{new[] { ("9b", r.Ordinary), ("9c", r.Qos0), ("9d", r.Qos1), ("9e", r.Largest), ("9f", r.Outbox), ("9g", r.Mirror) }.First(p => p.Item2 == worst).Item1}): "
            + $"{worst.Shares(10)}.");
        report.Note(Section, "**Stresses.** 9b: 200 QoS 1 \"on\"/\"off\" messages, 500 ms apart. 9c/9d: 10,000 messages of 100 B put through the "
            + "core's listener 40 at a time between loop passes 1 ms apart (faster than the loop takes them, so the inbox stays full and the mirror's "
            + "ring too: it sends about 10 lines a second). 9e: 2,000 of the largest payload the board's packet limit lets through, 4 at a time. "
            + "9f: a silent loss (no PUBACK comes) while BOOT is pressed 12 times (the outbox keeps "
            + $"{new DeviceOptions().OutboxCapacity} until confirmed). 9g: then the connection drops, the broker stays unreachable, ten minutes of failed retries fill the ring, the broker comes back and the ring is "
            + "published. 9h: the bytes of a handled 4 KB payload the core still reaches (`MqttMessage` is cleared after `OnMessage`).");
        report.Note(Section, "**What changed for it, and the \"0 B per message\" rows.** The mirror used to keep a `char[319]` per ring slot and "
            + "reuse up to 64 payload arrays: ~21 KB resident once 32 message lines had passed, for a ring that is rarely full. It now keeps each line "
            + "as a string of its own length (UTF-8 on the board) and encodes a new payload array per publish, which the library may keep as long as "
            + "it likes (nothing written again). So a message line with the mirror on allocates its string and, when published, its payload: short-lived "
            + "objects nanoCLR collects when its heap fills, against a resident heap that is kilobytes smaller (section 3 counts them). The inbox is "
            + "bounded by bytes too, so one large message cannot hold 16 × 4 KB; it never waits for room, so M2Mqtt's event queue does not grow "
            + "behind it (QoS 1 drops are counted and shown).");
    }
}
