using System.Buffers;
using System.Diagnostics;
using System.Text;
using IotyDevice.Core;
using IotyDevice.TestKit;
using MQTTnet;

namespace IotyDevice.Benchmarks;

/// <summary>Section 7: a classroom on one broker. N boards in this process, each the real core (Device.Run() on its own
/// thread) with its own MqttNetTransport, SimulatedNetwork (own MAC, so own chip ID and client ID) and SimulatedButton,
/// and beside them N bare MQTTnet clients doing the same work, all on one Mosquitto over TLS. The class grows
/// 1 → 10 → 30 → 100 on the same broker; at each size: memory, fan-out, simultaneous presses; at the largest, a broker
/// crash with every board online.</summary>
public static class ClassroomBench
{
    public const string Section = "7. A classroom on one broker";
    private const string RawTopic = "raw/topic1";
    private const string RawHelloTopic = "raw/topic2";
    private const int StormBase = 100_000; // storm messages are "s100000".., fan-out rounds "f0".. (told apart by number)
    private const int StormMessages = 5;

    /// <summary>mosquitto 2.0's defaults, written out so the broker's limits are visible and are not what is measured:
    /// no connection limit (file descriptors allow 20,000+), 1000 queued messages per client (the storm queues 5 per
    /// board), 20 QoS 1 messages in flight per client (a fan-out has one), no byte limit on the queue.</summary>
    private static readonly string[] BrokerLimits =
    {
        "max_connections -1",
        "max_queued_messages 1000",
        "max_queued_bytes 0",
        "max_inflight_messages 20",
    };

    private sealed class Step
    {
        public int N;
        public List<double> Device = new(), Bare = new();
        public List<double> DeviceSpread = new(), BareSpread = new(); // first → last arrival within a round
        public int DeviceLost, BareLost, Rounds;
        public double DeviceCpuMs, BareCpuMs;
        public List<double> PressLastMs = new(), RawLastMs = new();
        public int Hellos, HellosExpected, RawHellos, SentLines;
        public long BoardBytes, BareBytes; // cumulative live heap attributed to all boards / bare clients so far
        public double StartSeconds;
        public int PoolThreads; // thread-pool threads when the boards' memory was taken
    }

    public static void Run(BenchReport report, bool quick)
    {
        int[] sizes = quick ? new[] { 1, 5, 20 } : new[] { 1, 10, 30, 100 };
        int max = sizes[^1];
        var clock = Stopwatch.StartNew();
        WarmUp();
        using MosquittoBroker broker = Live.Broker("classroom", new BrokerOptions { Persistence = true, ExtraConfig = BrokerLimits });
        var boards = new List<DeviceUnderTest>();
        var bare = new List<AppPeer>();
        AppPeer app = null;
        try
        {
            app = AppPeers.Connect(broker, "class-app");
            app.Subscribe("topic2", 1);
            app.Subscribe(RawHelloTopic, 1);

            var steps = new List<Step>();
            long boardBytes = 0, bareBytes = 0;
            foreach (int n in sizes)
            {
                int previous = boards.Count;
                var step = new Step { N = n };
                long before = LiveHeap();
                var started = Stopwatch.StartNew();
                for (int i = boards.Count; i < n; i++) boards.Add(StartBoard(broker, i));
                WaitSubscribed(broker, boards);
                step.StartSeconds = started.Elapsed.TotalSeconds;
                Thread.Sleep(300);
                long afterBoards = LiveHeap();
                step.PoolThreads = ThreadPool.ThreadCount;
                for (int i = bare.Count; i < n; i++) bare.Add(ConnectBare(broker, i));
                Thread.Sleep(300);
                long afterBare = LiveHeap();
                boardBytes += afterBoards - before;
                bareBytes += afterBare - afterBoards;
                step.BoardBytes = boardBytes;
                step.BareBytes = bareBytes;

                FanOut(step, app, boards, bare, quick ? 10 : RoundsFor(n));
                Presses(step, app, boards, bare, quick ? 2 : 3);
                steps.Add(step);
                Console.WriteLine($"  N = {n}: fan-out p50/p99/max {P(step.Device)} vs bare {P(step.Bare)}; presses {step.Hellos}/{step.HellosExpected}; "
                    + $"{KiB(step.BoardBytes / (double)n)} per board (+{KiB((afterBoards - before) / (double)(n - previous))} each new one, {step.PoolThreads} pool threads); {clock.Elapsed.TotalSeconds:0.0} s");
            }

            int small = sizes[1];
            Memory bareMemory = MemoryByRemoval(bare, small, b => b.Dispose()); // the storm is the boards' (bare clients do not reconnect by themselves)
            app.Dispose();
            app = null;
            Storm storm = CrashAndRestart(broker, boards);
            Memory boardMemory = MemoryByRemoval(boards, small, b => b.Dispose());
            Console.WriteLine($"  storm: CONNECTs per 100 ms since the kill: {Histogram(storm.Bins)}; attempts started: {Histogram(storm.AttemptBins)}; first retries {Stats.Ms(storm.FirstRetryMs.DefaultIfEmpty(double.NaN).Min())}–{Stats.Ms(storm.FirstRetryMs.DefaultIfEmpty(double.NaN).Max())}");
            Write(report, steps, storm, boardMemory, bareMemory, sizes, clock.Elapsed.TotalSeconds, new DeviceOptions());
        }
        finally
        {
            app?.Dispose();
            foreach (AppPeer b in bare) b.Dispose();
            Parallel.ForEach(boards, new ParallelOptions { MaxDegreeOfParallelism = 16 }, d => d.Dispose());
        }
    }

    /// <summary>Live heap per member with all of <paramref name="members"/> and with the first <paramref name="small"/> of them,
    /// each against the heap once all are gone. Taken by removal, so what the process keeps anyway (thread-pool threads and their
    /// buffer caches, which the first connections bring) is in every one of the three measurements and cancels out.</summary>
    private sealed record Memory(int Small, double PerMemberSmall, int Large, double PerMemberLarge);

    private static Memory MemoryByRemoval<T>(List<T> members, int small, Action<T> dispose)
    {
        int large = members.Count;
        long all = SettledHeap();
        Parallel.ForEach(members.Skip(small).ToList(), new ParallelOptions { MaxDegreeOfParallelism = 16 }, dispose);
        members.RemoveRange(small, large - small);
        long few = SettledHeap();
        Parallel.ForEach(members.ToList(), new ParallelOptions { MaxDegreeOfParallelism = 16 }, dispose);
        members.Clear();
        long none = SettledHeap();
        return new Memory(small, (few - none) / (double)small, large, (all - none) / (double)large);
    }

    private static int RoundsFor(int n) => n switch { 1 => 150, <= 10 => 60, <= 30 => 40, _ => 30 };

    private const int WarmUpBoards = 10;

    /// <summary>Ten boards and ten bare clients through their first messages and a press on a broker of their own, then
    /// gone: the JIT, MQTTnet's and TLS's one-time statics and the shared buffer pools (which keep what the first
    /// connections return) are paid before anything is counted per board, and no stale session is left on the class's broker.</summary>
    private static void WarmUp()
    {
        using MosquittoBroker broker = Live.Broker("classroom-warm-up");
        using AppPeer app = AppPeers.Connect(broker, "class-warm-app");
        var boards = new List<DeviceUnderTest>();
        var bare = new List<AppPeer>();
        try
        {
            for (int i = 0; i < WarmUpBoards; i++) boards.Add(StartBoard(broker, 200 + i));
            WaitSubscribed(broker, boards);
            for (int i = 0; i < WarmUpBoards; i++) bare.Add(ConnectBare(broker, 200 + i));
            for (int i = 0; i < 20; i++)
            {
                app.Publish("topic1", "w" + i);
                app.Publish(RawTopic, "w" + i);
            }
            foreach (DeviceUnderTest b in boards) b.Button.Press();
            foreach (DeviceUnderTest b in boards) b.WaitForLine("BOOT: sent", timeoutSeconds: 10);
            foreach (DeviceUnderTest b in boards) b.Button.Release();
        }
        finally
        {
            foreach (AppPeer b in bare) b.Dispose();
            Parallel.ForEach(boards, new ParallelOptions { MaxDegreeOfParallelism = 16 }, d => d.Dispose());
        }
    }

    private static DeviceUnderTest StartBoard(MosquittoBroker broker, int index)
    {
        // Espressif OUI 24:0a:c4 and the board's number: chip ID "240ac40000" + two more bytes in hex.
        byte[] mac = { 0x24, 0x0A, 0xC4, 0x00, (byte)(index >> 8), (byte)index };
        var board = new DeviceUnderTest("class-" + index.ToString("000"), broker.DeviceSettings(), Live.FirmwareDefaults, mac, connectTimeoutMs: 10000);
        board.Monitor.KeepMessageLines = false;
        board.Start();
        return board;
    }

    private static AppPeer ConnectBare(MosquittoBroker broker, int index)
    {
        AppPeer peer = AppPeers.Connect(broker, "bare-" + index.ToString("000"));
        peer.KeepReceived = false;
        peer.Subscribe(RawTopic, 1); // QoS 1, like the core
        return peer;
    }

    private static string ClientIdOf(DeviceUnderTest board) => ChipId.FromMac(board.Network.MacAddress);

    /// <summary>Every board's SUBSCRIBE to topic1 is in the broker's log (only then does a fan-out reach all of them).</summary>
    private static void WaitSubscribed(MosquittoBroker broker, List<DeviceUnderTest> boards)
    {
        string[] ids = boards.Select(ClientIdOf).ToArray();
        Wait.Until(broker.Changed, () =>
        {
            var seen = new HashSet<string>();
            foreach (string line in broker.LogLines())
            {
                int at = line.IndexOf(" 1 topic1", StringComparison.Ordinal);
                if (at > 12) seen.Add(line.Substring(at - 12, 12));
            }
            return ids.All(seen.Contains);
        }, TimeSpan.FromSeconds(90), "all " + ids.Length + " boards subscribed to topic1", broker.LogText);
    }

    /// <summary>Each round the App Builder publishes one QoS 1 message to topic1 (every board) and one to raw/topic1 (every
    /// bare client), in a shuffled order, each time waiting until all N have it.</summary>
    private static void FanOut(Step step, AppPeer app, List<DeviceUnderTest> boards, List<AppPeer> bare, int rounds)
    {
        const int warmup = 5;
        int n = step.N, total = warmup + rounds;
        long[] deviceAt = new long[n * total], bareAt = new long[n * total];
        int[] deviceCount = new int[total], bareCount = new int[total];
        var arrived = new ManualResetEventSlim(false, 0); // not disposed: a late callback may still Set it
        for (int i = 0; i < n; i++)
        {
            int board = i;
            boards[i].Monitor.OnMessageLine = (chars, count) =>
            {
                long now = Stopwatch.GetTimestamp();
                int round = Live.TrailingNumber(chars, count);
                if ((uint)round >= (uint)total) return;
                deviceAt[board * total + round] = now;
                if (Interlocked.Increment(ref deviceCount[round]) == n) arrived.Set();
            };
            bare[i].OnMessage = e =>
            {
                long now = Stopwatch.GetTimestamp();
                ReadOnlySequence<byte> payload = e.ApplicationMessage.Payload;
                int round = Live.TrailingNumber(payload.IsSingleSegment ? payload.FirstSpan : payload.ToArray());
                if (e.ApplicationMessage.Topic != RawTopic || (uint)round >= (uint)total) return;
                bareAt[board * total + round] = now;
                if (Interlocked.Increment(ref bareCount[round]) == n) arrived.Set();
            };
        }

        var random = new Random(7 + n);
        for (int round = 0; round < total; round++)
        {
            byte[] payload = Encoding.ASCII.GetBytes("f" + round);
            bool devicesFirst = random.Next(2) == 0;
            for (int half = 0; half < 2; half++)
            {
                bool toDevices = (half == 0) == devicesFirst;
                int[] counts = toDevices ? deviceCount : bareCount;
                TimeSpan cpu0 = Environment.CpuUsage.TotalTime;
                arrived.Reset();
                long sent = Stopwatch.GetTimestamp();
                app.Publish(toDevices ? "topic1" : RawTopic, payload, qos: 1);
                var deadline = Stopwatch.StartNew();
                while (Volatile.Read(ref counts[round]) < n && deadline.ElapsedMilliseconds < 5000)
                {
                    arrived.Wait(50);
                    arrived.Reset();
                }
                Thread.Sleep(5 + random.Next(6)); // paced: every loop is asleep again when the next message comes
                double cpuMs = (Environment.CpuUsage.TotalTime - cpu0).TotalMilliseconds;
                if (round < warmup) continue;
                long[] at = toDevices ? deviceAt : bareAt;
                List<double> into = toDevices ? step.Device : step.Bare;
                long first = long.MaxValue, last = 0;
                for (int i = 0; i < n; i++)
                {
                    long t = at[i * total + round];
                    if (t == 0)
                    {
                        if (toDevices) step.DeviceLost++; else step.BareLost++;
                        continue;
                    }
                    into.Add(Stats.TicksToMicroseconds(t - sent));
                    first = Math.Min(first, t);
                    last = Math.Max(last, t);
                }
                if (last > 0) (toDevices ? step.DeviceSpread : step.BareSpread).Add(Stats.TicksToMicroseconds(last - first));
                if (toDevices) step.DeviceCpuMs += cpuMs; else step.BareCpuMs += cpuMs;
            }
        }
        step.Rounds = rounds;
        for (int i = 0; i < n; i++)
        {
            boards[i].Monitor.OnMessageLine = null;
            bare[i].OnMessage = null;
        }
    }

    /// <summary>Every board's BOOT pressed at the same instant (one loop over the buttons), then every bare client's QoS 1
    /// publish started at the same instant; the App Builder counts the hellos.</summary>
    private static void Presses(Step step, AppPeer app, List<DeviceUnderTest> boards, List<AppPeer> bare, int rounds)
    {
        int n = step.N, debounceMs = boards[0].Options.DebounceMs;
        int hellos = 0, rawHellos = 0;
        long lastHello = 0, lastRaw = 0;
        var arrived = new ManualResetEventSlim(false, 0);
        app.OnMessage = e =>
        {
            long now = Stopwatch.GetTimestamp();
            if (e.ApplicationMessage.Topic == "topic2") { Volatile.Write(ref lastHello, now); Interlocked.Increment(ref hellos); }
            else if (e.ApplicationMessage.Topic == RawHelloTopic) { Volatile.Write(ref lastRaw, now); Interlocked.Increment(ref rawHellos); }
            else return;
            arrived.Set();
        };
        byte[] hello = Encoding.UTF8.GetBytes("hello");
        int sentBefore = boards.Take(n).Sum(b => b.Monitor.Count("BOOT: sent hello"));
        var tasks = new Task[n];
        for (int round = 0; round < rounds; round++)
        {
            // Boards
            Interlocked.Exchange(ref hellos, 0);
            long t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < n; i++) boards[i].Button.Press();
            WaitFor(() => Volatile.Read(ref hellos) >= n, arrived, 10_000);
            Thread.Sleep(debounceMs * 2 + 20); // held past the debounce; late or doubled hellos would show in the count
            for (int i = 0; i < n; i++) boards[i].Button.Release();
            int got = Volatile.Read(ref hellos);
            step.Hellos += got;
            step.HellosExpected += n;
            if (got >= n) step.PressLastMs.Add(Stats.TicksToMilliseconds(Volatile.Read(ref lastHello) - t0) - debounceMs);
            Thread.Sleep(debounceMs * 2 + 20); // the release settles

            // Bare clients
            Interlocked.Exchange(ref rawHellos, 0);
            t0 = Stopwatch.GetTimestamp();
            for (int i = 0; i < n; i++) tasks[i] = bare[i].PublishAsync(RawHelloTopic, hello, 1);
            WaitFor(() => Volatile.Read(ref rawHellos) >= n, arrived, 10_000);
            Task.WaitAll(tasks, 10_000);
            step.RawHellos += Volatile.Read(ref rawHellos);
            if (Volatile.Read(ref rawHellos) >= n) step.RawLastMs.Add(Stats.TicksToMilliseconds(Volatile.Read(ref lastRaw) - t0));
            Thread.Sleep(20);
        }
        app.OnMessage = null;
        step.SentLines = boards.Take(n).Sum(b => b.Monitor.Count("BOOT: sent hello")) - sentBefore;
    }

    private static void WaitFor(Func<bool> done, ManualResetEventSlim arrived, int timeoutMs)
    {
        var clock = Stopwatch.StartNew();
        while (!done() && clock.ElapsedMilliseconds < timeoutMs)
        {
            arrived.Wait(50);
            arrived.Reset();
        }
    }

    private sealed class Storm
    {
        public int Boards, Back, Printed, Expected;
        public double LastBackFromStartMs, LastBackFromKillMs, RestartMs, PublishedFromKillMs;
        public List<double> BackFromKillMs = new();
        public SortedDictionary<int, int> Bins = new(); // 100 ms bin since the kill → CONNECTs
        public SortedDictionary<int, int> AttemptBins = new(); // 100 ms bin since the kill → boards starting a connect
        public int Connects;
        public List<double> FirstRetryMs = new();
    }

    /// <summary>kill -9 with every board online (persistent sessions, persistence on), restart on the same port, and
    /// StormMessages QoS 1 messages published to topic1 as soon as the App Builder can connect again.</summary>
    private static Storm CrashAndRestart(MosquittoBroker broker, List<DeviceUnderTest> boards)
    {
        var storm = new Storm { Boards = boards.Count, Expected = boards.Count * StormMessages };
        int[] printed = new int[boards.Count];
        int complete = 0;
        var allPrinted = new ManualResetEventSlim(false, 0);
        var linesBefore = boards.Select(b => b.Monitor.LineCount).ToArray();
        long[] attemptAt = new long[boards.Count];
        for (int i = 0; i < boards.Count; i++)
        {
            int board = i;
            boards[i].Monitor.OnLine = line =>
            {
                if (line.StartsWith("MQTT: connecting to ", StringComparison.Ordinal) && attemptAt[board] == 0)
                    attemptAt[board] = Stopwatch.GetTimestamp();
            };
            boards[i].Monitor.OnMessageLine = (chars, count) =>
            {
                int k = Live.TrailingNumber(chars, count) - StormBase;
                if ((uint)k < StormMessages && Interlocked.Increment(ref printed[board]) == StormMessages
                    && Interlocked.Increment(ref complete) == boards.Count)
                    allPrinted.Set();
            };
        }
        Thread.Sleep(1500); // mosquitto's autosave (every 1 s) has written every session and subscription

        long killMs = broker.ElapsedMs, killed = Stopwatch.GetTimestamp();
        broker.Kill();
        broker.Start(); // returns once the listener accepts connections
        long startMs = broker.ElapsedMs;
        storm.RestartMs = startMs - killMs;
        using (AppPeer app = AppPeers.Connect(broker, "class-app-after"))
        {
            for (int k = 0; k < StormMessages; k++) app.Publish("topic1", "s" + (StormBase + k), qos: 1);
        }
        storm.PublishedFromKillMs = broker.ElapsedMs - killMs;

        string[] ids = boards.Select(ClientIdOf).ToArray();
        Wait.Until(broker.Changed, () => ids.All(id => broker.LogArrivalMs(id + " 1 topic1").Any(ms => ms > killMs)),
            TimeSpan.FromSeconds(60), "every board resubscribed after the restart", broker.LogText);
        allPrinted.Wait(TimeSpan.FromSeconds(30));

        foreach (string id in ids)
        {
            long[] back = broker.LogArrivalMs(id + " 1 topic1").Where(ms => ms > killMs).ToArray();
            if (back.Length == 0) continue;
            storm.Back++;
            storm.BackFromKillMs.Add(back[0] - killMs);
        }
        storm.LastBackFromKillMs = storm.BackFromKillMs.Max();
        storm.LastBackFromStartMs = storm.LastBackFromKillMs - storm.RestartMs;
        storm.Printed = printed.Sum();
        foreach (long ms in broker.LogArrivalMs(" as 240ac40000").Where(ms => ms > killMs))
        {
            int bin = (int)((ms - killMs) / 100);
            storm.Bins[bin] = storm.Bins.GetValueOrDefault(bin) + 1;
            storm.Connects++;
        }
        for (int i = 0; i < boards.Count; i++)
        {
            string retry = boards[i].Monitor.Lines.Skip(linesBefore[i]).FirstOrDefault(l => l.StartsWith("MQTT: next try in ", StringComparison.Ordinal));
            if (retry != null && double.TryParse(retry.Substring("MQTT: next try in ".Length).Split(' ')[0], out double s)) storm.FirstRetryMs.Add(s * 1000);
            boards[i].Monitor.OnMessageLine = null;
            boards[i].Monitor.OnLine = null;
            if (attemptAt[i] == 0) continue;
            int bin = (int)(Stats.TicksToMilliseconds(attemptAt[i] - killed) / 100);
            storm.AttemptBins[bin] = storm.AttemptBins.GetValueOrDefault(bin) + 1;
        }
        return storm;
    }

    private static void Write(BenchReport report, List<Step> steps, Storm storm, Memory boardMemory, Memory bareMemory, int[] sizes, double seconds, DeviceOptions o)
    {
        char id = 'a';
        Step largest = steps[^1];
        foreach (Step s in steps)
        {
            double ratio = Stats.P99(s.Device) / Stats.P99(s.Bare);
            bool isTarget = s == largest;
            report.Add(new Row("7" + id++, $"fan-out to N = {s.N}: p50 / p99 / max", P(s.Device), P(s.Bare), "p99 " + Stats.Ratio(ratio),
                isTarget ? "p99 ≤ ×1.5 bare" : "", isTarget ? (ratio <= 1.5 ? Verdict.Met : Verdict.Missed) : Verdict.Info));
            if (isTarget && ratio > 1.5)
                report.Missed($"7 fan-out p99 at N = {s.N}: {Stats.Us(Stats.P99(s.Device))} vs bare {Stats.Us(Stats.P99(s.Bare))}, {Stats.Ratio(ratio)} > ×1.5. "
                    + "See \"Why the fan-out tail grows\" in section 7.");
        }

        bool pressesMet = largest.Hellos == largest.HellosExpected;
        report.Add(new Row("7" + id++, $"{largest.N} simultaneous presses: hellos, last one after", $"{largest.Hellos}/{largest.HellosExpected}, {Stats.Ms(Stats.Median(largest.PressLastMs))} − {o.DebounceMs} ms debounce",
            $"{largest.RawHellos}/{largest.HellosExpected}, {Stats.Ms(Stats.Median(largest.RawLastMs))}", Stats.SignedMs(Stats.Median(largest.PressLastMs) - Stats.Median(largest.RawLastMs)),
            $"{largest.N}/{largest.N} per press", pressesMet ? Verdict.Met : Verdict.Missed));
        if (!pressesMet) report.Missed($"7 presses: {largest.Hellos} of {largest.HellosExpected} hellos arrived for {largest.N} boards pressed together.");

        bool backMet = storm.Back == storm.Boards;
        report.Add(new Row("7" + id++, $"broker kill -9 + restart, {storm.Boards} boards: back and resubscribed", $"{storm.Back}/{storm.Boards}, last after {Stats.Ms(storm.LastBackFromStartMs)}",
            "", $"from kill -9: {Stats.Ms(storm.LastBackFromKillMs)}", $"{storm.Boards}/{storm.Boards}", backMet ? Verdict.Met : Verdict.Missed));
        if (!backMet) report.Missed($"7 storm: only {storm.Back} of {storm.Boards} boards resubscribed within 60 s of the restart.");
        bool lostMet = storm.Printed == storm.Expected;
        report.Add(new Row("7" + id++, $"QoS 1 published right after the restart ({StormMessages} per board)", $"{storm.Printed}/{storm.Expected} printed",
            "", $"{storm.Expected - storm.Printed} lost", "0 lost", lostMet ? Verdict.Met : Verdict.Missed));
        if (!lostMet) report.Missed($"7 storm: {storm.Expected - storm.Printed} of {storm.Expected} QoS 1 messages published right after the restart were not printed within 30 s of the last resubscription.");
        int largestBin = storm.Bins.Count == 0 ? 0 : storm.Bins.Values.Max();
        double share = storm.Boards == 0 ? double.NaN : largestBin * 100.0 / storm.Boards;
        bool spreadMet = share <= 20;
        report.Add(new Row("7" + id++, "reconnect CONNECTs in the busiest 100 ms", $"{largestBin} of {storm.Boards} ({share:0} %)", "", $"{storm.Bins.Count} bins used",
            "≤ 20 %", spreadMet ? Verdict.Met : Verdict.Missed));
        if (!spreadMet)
            report.Missed($"7 reconnect spread: {largestBin} of {storm.Boards} CONNECTs ({share:0} %) fell in one 100 ms bin. "
                + $"The first retry after a loss waits between a tenth and all of BackoffBaseMs = {o.BackoffBaseMs} ms (Backoff.cs), "
                + $"about {o.BackoffBaseMs * 9 / 1000} bins of 100 ms for the first retries; a share above 20 % means the draw of this run was uneven.");

        double perSmall = boardMemory.PerMemberSmall, perLarge = boardMemory.PerMemberLarge;
        double growth = perLarge / perSmall;
        bool memMet = Math.Abs(growth - 1) <= 0.10;
        report.Add(new Row("7" + id++, $"live managed heap per board, N = {boardMemory.Small} vs {boardMemory.Large}", $"{KiB(perSmall)} vs {KiB(perLarge)}",
            $"{KiB(bareMemory.PerMemberSmall)} vs {KiB(bareMemory.PerMemberLarge)}", Stats.Ratio(growth), "within 10 %", memMet ? Verdict.Met : Verdict.Missed));
        if (!memMet) report.Missed($"7 memory per board: {KiB(perSmall)} at N = {boardMemory.Small} vs {KiB(perLarge)} at N = {boardMemory.Large} ({Stats.Ratio(growth)}).");

        double deliveredDevice = largest.Device.Count, deliveredBare = largest.Bare.Count;
        double cpuDevice = largest.DeviceCpuMs * 1000 / deliveredDevice, cpuBare = largest.BareCpuMs * 1000 / deliveredBare;
        report.Add(new Row("7" + id++, $"CPU per delivered message per board, N = {largest.N}", Stats.Us(cpuDevice), Stats.Us(cpuBare),
            Stats.Ratio(cpuDevice / cpuBare) + " (" + Stats.SignedUs(cpuDevice - cpuBare) + ")", "", Verdict.Info));

        // How it was taken
        var sb = new StringBuilder();
        sb.Append($"{seconds:0.0} s in all. One Mosquitto over TLS on 127.0.0.1 (persistence on, autosave every 1 s, so a kill -9 keeps the sessions; "
            + "limits set explicitly to mosquitto 2.0's defaults, none of which this load comes near (at most 203 connections, one QoS 1 message in flight "
            + "and 5 queued per client): " + string.Join(", ", BrokerLimits)
            + $"; open files allowed to this process and the broker it starts: {OpenFilesLimit()}). The class grows {string.Join(" → ", sizes)} on the same broker; each board is "
            + "the real core (Device.Run() on its own thread) with its own MqttNetTransport (connect timeout 10 s, the simulator's), SimulatedNetwork "
            + "with its own MAC 24:0a:c4:00:00:NN (so its own chip ID and client ID), SimulatedButton and settings.json, firmware defaults for every tuning "
            + $"(BackoffBaseMs {o.BackoffBaseMs}, StableConnectionMs {o.StableConnectionMs}, DebounceMs {o.DebounceMs}). Beside them, N bare MQTTnet 5 clients "
            + "(clean session, QoS 1 subscription to raw/topic1, a handler that only stamps the time). Before anything is counted, 10 throwaway boards and 10 bare "
            + "clients exchange 20 messages and a press on a broker of their own (JIT, one-time statics, shared buffer pools). Board start-up (all new boards started at once → every SUBSCRIBE in the broker's log): "
            + string.Join(", ", steps.Select(s => $"N = {s.N} {Stats.Ms(s.StartSeconds * 1000)}")) + ".");
        report.Note(Section, sb.ToString());

        report.Note(Section, "**Fan-out.** Each round the App Builder peer publishes one QoS 1 message (\"f<round>\") to topic1 and one to raw/topic1, in a "
            + "shuffled order, each time waiting until all N have it, then 5–10 ms of pause (every loop asleep again). Board time: the publish call → the "
            + "first instruction of that board's IMonitor.WriteLine(char[], int) on its loop thread; bare: the publish call → the first instruction of its "
            + "ApplicationMessageReceivedAsync handler. p50 / p99 / max over boards × rounds (nearest rank), after 5 warm-up rounds: "
            + string.Join("; ", steps.Select(s => $"N = {s.N}: {s.Rounds} rounds, {s.Device.Count} + {s.Bare.Count} samples, {s.DeviceLost + s.BareLost} lost, "
                + $"boards {P(s.Device)}, bare {P(s.Bare)}, first → last arrival within a round (median) boards {Stats.Us(Stats.Median(s.DeviceSpread))}, bare {Stats.Us(Stats.Median(s.BareSpread))}"))
            + ".");

        report.Note(Section, "**Why the fan-out tail grows.** " + WhyTail(steps));

        report.Note(Section, $"**Presses.** Every board's SimulatedButton.Press() in one loop (which sets each core's Wakeup, as the GPIO interrupt does), held "
            + $"{o.DebounceMs * 2 + 20} ms, released; the App Builder peer counts \"hello\" on topic2; time from the first Press() to the last hello, minus DebounceMs = {o.DebounceMs}. "
            + "Bare: every bare client's QoS 1 publish to raw/topic2 started in one loop; time to the last one at the same peer. Median over the rounds: "
            + string.Join("; ", steps.Select(s => $"N = {s.N}: {s.Hellos}/{s.HellosExpected} hellos (\"BOOT: sent hello\" printed {s.SentLines} times), last {Stats.Ms(Stats.Median(s.PressLastMs))}; bare {s.RawHellos}/{s.HellosExpected}, last {Stats.Ms(Stats.Median(s.RawLastMs))}"))
            + ".");

        report.Note(Section, $"**Reconnect storm.** With {storm.Boards} boards online (bare clients disconnected first: they do not reconnect by themselves) and 1.5 s for "
            + $"the autosave, mosquitto is killed with SIGKILL and started again on the same port; it accepted connections {Stats.Ms(storm.RestartMs)} after the kill. "
            + $"A new App Builder peer then published {StormMessages} QoS 1 messages to topic1 ({Stats.Ms(storm.PublishedFromKillMs)} after the kill, before any board was back), "
            + "which the broker queues in each board's restored session. Back = the board's SUBSCRIBE to topic1 logged by the broker (arrival of the log line; "
            + $"mosquitto's own timestamps have whole seconds): median {Stats.Ms(Stats.Median(storm.BackFromKillMs))} and last {Stats.Ms(storm.LastBackFromKillMs)} after the kill. "
            + $"Printed = the board's loop printed the message ({storm.Printed} of {storm.Expected}). CONNECTs = the broker's \"New client connected … as 240ac40000..\" lines "
            + $"after the kill ({storm.Connects} for {storm.Boards} boards), per 100 ms since the kill: " + Histogram(storm.Bins) + ". First retry delays the boards chose "
            + $"(\"MQTT: next try in\", 0.1 s steps): from {Stats.Ms(storm.FirstRetryMs.DefaultIfEmpty(double.NaN).Min())} to {Stats.Ms(storm.FirstRetryMs.DefaultIfEmpty(double.NaN).Max())}.");

        report.Note(Section, "**Memory.** Live managed heap = GC.GetTotalMemory(true) after two forced, blocking, compacting gen-2 collections, repeated "
            + "300 ms apart until two readings agree within 2 KiB (what a disposed client still has in flight lets go). "
            + $"Taken by removal at the end: with all {boardMemory.Large} boards online (after the storm), after disposing all but the first {boardMemory.Small}, and "
            + $"after disposing those too; per board = (heap with them − heap without any) / N. The bare clients the same way before the storm. So what the process "
            + "keeps whatever the class does (thread-pool threads and the buffers their thread-local pools hold, which the first connections bring) is in all "
            + "three measurements and cancels out. A board here is everything it is in this process: the Device, its inbox and line buffer, its RecordingMonitor "
            + "(its lines kept, received messages only counted), settings, two threads (loop and MqttNetTransport's dispatch), the MQTTnet client, TLS stream "
            + "and buffers. For comparison, the growth measured while the class grew (heap after the new boards subscribed minus before they started, "
            + "the thread pool growing with them): "
            + string.Join("; ", steps.Select(s => $"N = {s.N}: boards {KiB(s.BoardBytes / (double)s.N)}, bare {KiB(s.BareBytes / (double)s.N)} each, {s.PoolThreads} pool threads")) + ".");

        report.Note(Section, "**CPU.** Process user + system time (Environment.CpuUsage) over each fan-out half: from just before the publish to the end of "
            + "the pause after the last arrival (so the PUBACKs and the loops going back to sleep are in), summed over the counted rounds and divided by "
            + $"the messages delivered; at N = {largest.N}: boards {largest.DeviceCpuMs:0} ms for {largest.Device.Count}, bare {largest.BareCpuMs:0} ms for {largest.Bare.Count}. "
            + "The App Builder peer's publish and the other group's idle threads fall in both; the broker is another process and is not counted. Per size: "
            + string.Join("; ", steps.Select(s => $"N = {s.N}: boards {Stats.Us(s.DeviceCpuMs * 1000 / s.Device.Count)}, bare {Stats.Us(s.BareCpuMs * 1000 / s.Bare.Count)}")) + ".");
    }

    private static string WhyTail(List<Step> steps)
    {
        Step one = steps.Count > 1 ? steps[1] : steps[0], last = steps[^1]; // N = 1 has no spread
        double cpuBoard = last.DeviceCpuMs * 1000 / last.Device.Count, cpuBare = last.BareCpuMs * 1000 / last.Bare.Count;
        int cores = Environment.ProcessorCount;
        return $"One publish becomes N deliveries: Mosquitto (one thread) encrypts and writes them one after the other, and the N receiving clients share "
            + $"this machine's {cores} cores with it, so the last one of a round waits for all the others; the p99 over boards × rounds is close to a round's "
            + $"first → last spread. That spread grows with N for the bare clients too ({Stats.Us(Stats.Median(one.BareSpread))} at N = {one.N}, "
            + $"{Stats.Us(Stats.Median(last.BareSpread))} at N = {last.N}) and more for the boards ({Stats.Us(Stats.Median(one.DeviceSpread))} → "
            + $"{Stats.Us(Stats.Median(last.DeviceSpread))}). At N = {last.N} it is CPU: a delivery to a board costs {Stats.Us(cpuBoard)} of this process's CPU "
            + $"against {Stats.Us(cpuBare)} for a bare client (row 7j), so a round needs about {last.N} × {Stats.Us(cpuBoard)} / {cores} cores ≈ "
            + $"{Stats.Ms(last.N * cpuBoard / cores / 1000)} against {Stats.Ms(last.N * cpuBare / cores / 1000)}. The difference is the firmware's shape, not the core's "
            + "code (section 3: the core allocates nothing per message; row 1d: Put + Set and the loop's take and format are microseconds): each message "
            + "wakes two more threads per board (MqttNetTransport's dispatch thread, as M2Mqtt has, then the board's loop thread), and each wake-up is a "
            + "futex call and a context switch on a 2-core VM. On a real classroom every board has its own CPU for that; only the broker and the network "
            + "are shared, and for those the bare clients' spread is the measure.";
    }

    private static string Histogram(SortedDictionary<int, int> bins)
    {
        if (bins.Count == 0) return "none";
        int first = bins.Keys.Min(), last = bins.Keys.Max();
        var parts = new List<string>();
        for (int b = first; b <= last; b++)
            parts.Add($"{b * 0.1:0.0}–{(b + 1) * 0.1:0.0} s: {bins.GetValueOrDefault(b)}");
        return string.Join(", ", parts);
    }

    private static string OpenFilesLimit()
    {
        try
        {
            string line = File.ReadLines("/proc/self/limits").FirstOrDefault(l => l.StartsWith("Max open files", StringComparison.Ordinal));
            return line == null ? "unknown" : string.Join(" ", line.Substring("Max open files".Length).Split(' ', StringSplitOptions.RemoveEmptyEntries).Take(1));
        }
        catch (IOException)
        {
            return "unknown";
        }
    }

    /// <summary>The live heap once it has stopped shrinking: what a disposed client still has in flight (its receive loop
    /// ending on the closed socket, a timer or a task about to complete) lets go within a few hundred milliseconds.</summary>
    private static long SettledHeap()
    {
        long last = LiveHeap();
        for (int i = 0; i < 10; i++)
        {
            Thread.Sleep(300);
            long now = LiveHeap();
            if (Math.Abs(now - last) < 2048) return now;
            last = now;
        }
        return last;
    }

    private static long LiveHeap()
    {
        for (int i = 0; i < 2; i++)
        {
            GC.Collect(2, GCCollectionMode.Forced, blocking: true, compacting: true);
            GC.WaitForPendingFinalizers();
        }
        return GC.GetTotalMemory(true);
    }

    private static string P(List<double> xs) =>
        xs.Count == 0 ? "n/a" : $"{Stats.Us(Stats.Median(xs))} / {Stats.Us(Stats.P99(xs))} / {Stats.Us(xs.Max())}";

    private static string KiB(double bytes) => (bytes / 1024).ToString("0.0", System.Globalization.CultureInfo.InvariantCulture) + " KiB";
}
