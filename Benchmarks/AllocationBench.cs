using System.Diagnostics;
using System.Globalization;
using System.Runtime.CompilerServices;
using IotyDevice.Core;
using IotyDevice.Host.Button;
using IotyDevice.Host.Network;

namespace IotyDevice.Benchmarks;

/// <summary>Section 3: bytes the core allocates on its own thread, per idle Step() and per pumped message, counted
/// with GC.GetAllocatedBytesForCurrentThread() while this thread drives Device.Step() itself. The MQTT transport,
/// clock, settings and monitor are allocation-free fakes (the monitor counts), so every byte counted is the core's.</summary>
public static class AllocationBench
{
    public const string Section = "3. Allocations on the main-loop thread";
    public const int PayloadBytes = 100;
    public const string Topic = "topic1";
    private const string ChildFlag = "--alloc-only";

    public sealed record Result(double IdleBytesPerStep, double CoreBytesPerMessage, double HandedOverBytesPerMessage,
        long IdleSteps, long Messages, int WarmupRounds, string Jit);

    /// <summary>Network time has arrived; the milliseconds move only when the bench says so (also section 9's).</summary>
    internal sealed class ManualClock : IClock
    {
        private static readonly DateTime Synced = new DateTime(2025, 6, 1, 12, 0, 0, DateTimeKind.Utc);
        public long Now;
        public long NowMs => Now;
        public DateTime UtcNow => Synced; // network time has arrived
    }

    private sealed class FakeTransport : IMqttTransport
    {
        private static readonly ConnectResult Accepted = new ConnectResult(ConnectResult.Accepted, false, 1);
        public IMqttListener Listener;
        public ConnectResult Connect(MqttConnectRequest request) => Accepted;
        public bool IsConnected => true;
        public int Subscribe(string topic, int qos) => 1;
        public int Publish(string topic, byte[] payload, int qos, bool retain) => qos == 0 ? 0 : 2;
        public void Close() { }
        public void SetListener(IMqttListener listener) => Listener = listener;
    }

    /// <summary>Counts; allocates nothing (so what the counter sees is the core's).</summary>
    private sealed class CountingMonitor : IMonitor
    {
        public long Lines;
        public long MessageLines;
        public long MessageChars;
        public void WriteLine(string line) => Lines++;
        public void WriteLine(char[] chars, int count)
        {
            MessageLines++;
            MessageChars += count;
        }
    }

    /// <summary>Valid settings (also section 9's); the mirror off unless asked for.</summary>
    internal sealed class FixedSettings : ISettingsSource
    {
        public bool Mirror;
        public string Location => "bench settings";
        public bool HasFile(string path) => true;
        public DeviceSettings Read(out string problem)
        {
            problem = null;
            return new DeviceSettings
            {
                WifiSsid = "ioty-lab",
                WifiPassword = "wifi-pass-1",
                BrokerHost = "broker.example.test",
                BrokerUsername = "device",
                BrokerPassword = "device-pass-1",
                MonitorTopic = Mirror ? "{clientId}/monitor" : "",
            };
        }
    }

    /// <summary>Measures in this process (the tiered JIT as configured), after warm-up. Without
    /// <paramref name="mirror"/> the monitor mirror is off (MonitorTopic ""): the loop's own path.</summary>
    public static Result Measure(bool mirror = false)
    {
        var clock = new ManualClock();
        var transport = new FakeTransport();
        var monitor = new CountingMonitor();
        var wakeup = new Wakeup();
        var options = new DeviceOptions();
        var device = new Device(new DevicePorts
        {
            Network = new SimulatedNetwork(new byte[] { 0x24, 0x0A, 0xC4, 0x12, 0x3A, 0xBC }),
            Mqtt = transport,
            Button = new SimulatedButton(null),
            Clock = clock,
            Monitor = monitor,
            Settings = new FixedSettings { Mirror = mirror },
        }, options, wakeup);
        device.Start();
        for (int i = 0; i < 100 && device.State != ConnectionState.Online; i++)
        {
            clock.Now++;
            device.Step();
        }
        if (device.State != ConnectionState.Online) throw new InvalidOperationException("the core did not get online with the fakes: " + device.State);

        // The messages exist before counting starts: the MQTT library allocates them on its own thread either way.
        int batch = options.InboxCapacity;
        byte[][] payloads = new byte[batch][];
        for (int i = 0; i < batch; i++)
        {
            payloads[i] = new byte[PayloadBytes];
            for (int j = 0; j < PayloadBytes; j++) payloads[i][j] = (byte)('a' + (i + j) % 26);
        }
        char[] topicChars = Topic.ToCharArray();

        // Warm-up: enough calls for tier-1 (30 calls, then a 100 ms delay that restarts while new methods get called),
        // with pauses for the background compiler; then windows are measured until two in a row agree.
        const int warmupRounds = 4;
        for (int round = 0; round < warmupRounds; round++)
        {
            Idle(device, clock, 100_000);
            Messages(device, clock, transport.Listener, payloads, 5_000, copy: false, topicChars);
            Messages(device, clock, transport.Listener, payloads, 5_000, copy: true, topicChars);
            Thread.Sleep(250);
        }

        const int idleSteps = 1_000_000;
        const int messageRounds = 20_000;
        double idle = double.NaN, core = double.NaN, handed = double.NaN;
        for (int window = 0; window < 5; window++)
        {
            double i1 = Idle(device, clock, idleSteps) / (double)idleSteps;
            double c1 = Messages(device, clock, transport.Listener, payloads, messageRounds, copy: false, topicChars) / (double)(messageRounds * batch);
            double h1 = Messages(device, clock, transport.Listener, payloads, messageRounds, copy: true, topicChars) / (double)(messageRounds * batch);
            bool stable = i1 == idle && c1 == core && h1 == handed;
            idle = i1;
            core = c1;
            handed = h1;
            if (stable) break;
        }
        if (monitor.MessageLines == 0 || device.DroppedMessages != 0)
            throw new InvalidOperationException("the message rounds did not pump as planned: " + monitor.MessageLines + " lines, " + device.DroppedMessages + " dropped");
        return new Result(idle, core, handed, idleSteps, (long)messageRounds * batch, warmupRounds, Machine.JitSettings());
    }

    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long Idle(Device device, ManualClock clock, int steps)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < steps; i++)
        {
            clock.Now++;
            device.Step();
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    /// <summary>Each round puts a full inbox (capacity messages, QoS 0 and 1 alternately) through the listener on this
    /// thread, then one Step() pumps and prints them all. With <paramref name="copy"/> the round also makes each message
    /// as MqttNetTransport hands it over (a new payload byte[] and topic string), to show a message's whole heap cost.</summary>
    [MethodImpl(MethodImplOptions.NoInlining | MethodImplOptions.AggressiveOptimization)]
    private static long Messages(Device device, ManualClock clock, IMqttListener listener, byte[][] payloads, int rounds, bool copy, char[] topicChars)
    {
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int r = 0; r < rounds; r++)
        {
            for (int i = 0; i < payloads.Length; i++)
            {
                byte[] payload = payloads[i];
                string topic = Topic;
                if (copy)
                {
                    payload = (byte[])payload.Clone();
                    topic = new string(topicChars);
                }
                listener.OnMessage(topic, payload, i & 1);
            }
            clock.Now++;
            device.Step();
        }
        return GC.GetAllocatedBytesForCurrentThread() - before;
    }

    public static bool IsChild(string[] args) => args.Contains(ChildFlag);

    /// <summary>Child mode: measure and print one parsable line.</summary>
    public static int RunChild()
    {
        Result r = Measure();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"ALLOC {r.IdleBytesPerStep:R} {r.CoreBytesPerMessage:R} {r.HandedOverBytesPerMessage:R} {r.IdleSteps} {r.Messages} {r.WarmupRounds}"));
        return 0;
    }

    /// <summary>The same measurement in a fresh process with the given environment (e.g. DOTNET_TieredCompilation=0).</summary>
    public static Result MeasureInChild(IDictionary<string, string> environment)
    {
        string dll = typeof(AllocationBench).Assembly.Location;
        var info = new ProcessStartInfo(Environment.ProcessPath ?? "dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        if (!Path.GetFileNameWithoutExtension(info.FileName).Equals("IotyDevice.Benchmarks", StringComparison.Ordinal)) info.ArgumentList.Add(dll);
        info.ArgumentList.Add(ChildFlag);
        foreach (var (key, value) in environment) info.Environment[key] = value;
        using Process p = Process.Start(info);
        Task<string> err = p.StandardError.ReadToEndAsync();
        string output = p.StandardOutput.ReadToEnd();
        if (!p.WaitForExit(120_000))
        {
            p.Kill();
            throw new TimeoutException("the allocation child did not finish within 120 s");
        }
        string line = output.Split('\n').FirstOrDefault(l => l.StartsWith("ALLOC ", StringComparison.Ordinal));
        if (p.ExitCode != 0 || line == null)
            throw new InvalidOperationException("the allocation child failed (exit " + p.ExitCode + "):\n" + output + err.Result);
        string[] f = line.Split(' ');
        string jit = string.Join(", ", environment.Select(kv => kv.Key.Replace("DOTNET_", "") + " " + kv.Value));
        return new Result(double.Parse(f[1], CultureInfo.InvariantCulture), double.Parse(f[2], CultureInfo.InvariantCulture),
            double.Parse(f[3], CultureInfo.InvariantCulture), long.Parse(f[4]), long.Parse(f[5]), int.Parse(f[6]), jit);
    }

    public static void Run(BenchReport report)
    {
        int budget = PayloadBytes + Topic.Length + 64;
        var runs = new List<(string Label, Result Result)>
        {
            ("tiered JIT (defaults), warm", Measure()),
            ("DOTNET_TieredCompilation=0", MeasureInChild(new Dictionary<string, string> { ["DOTNET_TieredCompilation"] = "0" })),
        };
        char sub = 'a';
        foreach (var (label, r) in runs)
        {
            report.Add(new Row("3" + sub++, "per idle Step(), " + label, Stats.Bytes(r.IdleBytesPerStep), "", "", "0 B", r.IdleBytesPerStep == 0 ? Verdict.Met : Verdict.Missed));
            report.Add(new Row("3" + sub++, "per pumped message (core), " + label, Stats.Bytes(r.CoreBytesPerMessage), "", "", $"≤ {budget} B (payload {PayloadBytes} + topic {Topic.Length} + 64)",
                r.CoreBytesPerMessage <= budget ? Verdict.Met : Verdict.Missed));
            if (r.IdleBytesPerStep != 0)
                report.Missed($"3 idle Step() ({label}): {Stats.Bytes(r.IdleBytesPerStep)} per iteration over {r.IdleSteps:N0} steps, expected 0 B.");
            if (r.CoreBytesPerMessage > budget)
                report.Missed($"3 pumped message ({label}): {Stats.Bytes(r.CoreBytesPerMessage)} per message > {budget} B.");
        }
        Result warm = runs[0].Result;
        report.Add(new Row("3" + sub++, "per message incl. the copy the transport hands over", Stats.Bytes(warm.HandedOverBytesPerMessage), "", "",
            "", Verdict.Info));
        Result mirrored = Measure(mirror: true);
        report.Add(new Row("3" + sub++, "per pumped message with the monitor mirror on (the default), warm", Stats.Bytes(mirrored.CoreBytesPerMessage), "", "",
            "", Verdict.Info));
        report.Note(Section, $"This thread drives Device.Step() itself: the core online with allocation-free fakes (transport, manual clock, fixed "
            + "settings, a monitor that only counts; SimulatedNetwork and SimulatedButton from the host adapters). Idle: "
            + $"{warm.IdleSteps:N0} Step() calls with nothing to do (the clock advances 1 ms each). Messages: {warm.Messages:N0} messages, "
            + $"{PayloadBytes}-byte payload on \"{Topic}\", put through the core's IMqttListener on the same thread (QoS 0 and 1 "
            + "alternately), a full inbox (16) per Step(), so Inbox.Put, Inbox.TryTake, MessageLine.Format and the monitor call are all "
            + "counted; the payload arrays exist beforehand, as the MQTT library allocates them on its own thread. GC.GetAllocatedBytesForCurrentThread() "
            + $"before and after each window. JIT: first in this process with the runtime's defaults (tiered compilation, PGO and OSR on) "
            + $"after {warm.WarmupRounds} warm-up rounds (100,000 idle steps and 10,000 message rounds each, 250 ms apart for the "
            + "background tier-1 compiler), windows repeated until two in a row agree; the measuring loops are AggressiveOptimization "
            + "(never OSR'd). Then the same in a child process with DOTNET_TieredCompilation=0 (everything fully optimized on first call, "
            + "no call counting, no OSR), so neither figure depends on tiering. The last row adds what MqttNetTransport allocates per "
            + $"message anyway (payload.ToArray() and the topic string): the heap cost of one message on 64-bit .NET. Rows 3a–3e run with the "
            + "monitor mirror off (MonitorTopic \"\"): the loop's own path allocates nothing. The last row has it on, as on the board by default: "
            + "each message line is then kept as a string of its own length, and each line the mirror publishes gets a new payload array (at most "
            + "about 10 a second once the ring's burst is out). That is a deliberate trade (section 9): the mirror used to keep a char[] of the longest "
            + "line per ring slot and reuse payload arrays, ~21 KB resident on a board whose managed heap is ~50–70 KB, to save short-lived objects "
            + "nanoCLR collects when its heap fills; and a reused array could still be waiting to be sent by M2Mqtt's thread.");
    }
}
