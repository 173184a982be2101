using System.Buffers;
using System.Diagnostics;
using IotyDevice.Core;
using IotyDevice.TestKit;
using MQTTnet;

namespace IotyDevice.Benchmarks;

/// <summary>What the core is handed instead of MqttNetTransport in sections 1 and 2: the same transport, with the time
/// each listener OnMessage call starts and returns stamped (two Stopwatch reads, ~50 ns), so a sample can be split into
/// broker + library + transport hand-off, the core's put and wake-up call, and the loop thread's wake-up and print.</summary>
public sealed class StampingTransport : IMqttTransport
{
    private readonly IMqttTransport _inner;
    public long EnteredAt, LeftAt;

    public StampingTransport(IMqttTransport inner) => _inner = inner;

    public ConnectResult Connect(MqttConnectRequest request) => _inner.Connect(request);
    public bool IsConnected => _inner.IsConnected;
    public int Subscribe(string topic, int qos) => _inner.Subscribe(topic, qos);
    public int Publish(string topic, byte[] payload, int qos, bool retain) => _inner.Publish(topic, payload, qos, retain);
    public void Close() => _inner.Close();
    public void SetListener(IMqttListener listener) => _inner.SetListener(new Stamping(this, listener));

    private sealed class Stamping : IMqttListener
    {
        private readonly StampingTransport _owner;
        private readonly IMqttListener _core;
        public Stamping(StampingTransport owner, IMqttListener core) { _owner = owner; _core = core; }

        public void OnMessage(string topic, byte[] payload, int qos)
        {
            Volatile.Write(ref _owner.EnteredAt, Stopwatch.GetTimestamp());
            _core.OnMessage(topic, payload, qos);
            Volatile.Write(ref _owner.LeftAt, Stopwatch.GetTimestamp());
        }

        public void OnSubscribed(int connection, int messageId, int grantedQos) => _core.OnSubscribed(connection, messageId, grantedQos);
        public void OnPublished(int connection, int messageId, bool confirmed) => _core.OnPublished(connection, messageId, confirmed);
        public void OnConnectionClosed(int connection) => _core.OnConnectionClosed(connection);
    }
}

/// <summary>A bare MQTTnet client given the firmware's shape but none of its code: the receive path copies the payload,
/// sends the PUBACK, then queues it for a dispatch thread (as MqttNetTransport does, like M2Mqtt), which queues it for a
/// "loop" thread asleep in a 500 ms AutoResetEvent wait (as Device.Run() is), which calls <see cref="OnHandled"/>. If the
/// core's tail matches this one, the tail is the two thread hand-offs on this machine, not the core.</summary>
public sealed class HandOffBaseline : IDisposable
{
    private readonly AppPeer _peer;
    private readonly string _topic;
    private readonly Queue<byte[]> _dispatchQueue = new(), _loopQueue = new();
    private readonly AutoResetEvent _dispatchWake = new(false), _loopWake = new(false);
    private volatile bool _stop;

    /// <summary>Called on the "loop" thread with each payload.</summary>
    public Action<byte[]> OnHandled { get; set; }

    public HandOffBaseline(MosquittoBroker broker, string clientId, string topic)
    {
        _topic = topic;
        _peer = AppPeers.Connect(broker, clientId);
        _peer.KeepReceived = false;
        _peer.OnMessage = e =>
        {
            if (e.ApplicationMessage.Topic != _topic) return;
            byte[] payload = e.ApplicationMessage.Payload.ToArray(); // MQTTnet reuses its buffers
            e.AutoAcknowledge = false;
            _ = AcknowledgeThenQueue(e, payload);
        };
        _peer.Subscribe(topic, 1);
        new Thread(Dispatch) { IsBackground = true, Name = "hand-off dispatch" }.Start();
        new Thread(Loop) { IsBackground = true, Name = "hand-off loop" }.Start();
    }

    private async Task AcknowledgeThenQueue(MqttApplicationMessageReceivedEventArgs e, byte[] payload)
    {
        try { await e.AcknowledgeAsync(CancellationToken.None).ConfigureAwait(false); }
        catch (Exception) { return; }
        lock (_dispatchQueue) _dispatchQueue.Enqueue(payload);
        _dispatchWake.Set();
    }

    private void Dispatch()
    {
        while (!_stop)
        {
            byte[] next = null;
            lock (_dispatchQueue) if (_dispatchQueue.Count > 0) next = _dispatchQueue.Dequeue();
            if (next == null) { _dispatchWake.WaitOne(); continue; }
            lock (_loopQueue) _loopQueue.Enqueue(next);
            _loopWake.Set();
        }
    }

    private void Loop()
    {
        while (!_stop)
        {
            while (true)
            {
                byte[] next = null;
                lock (_loopQueue) if (_loopQueue.Count > 0) next = _loopQueue.Dequeue();
                if (next == null) break;
                OnHandled?.Invoke(next);
            }
            _loopWake.WaitOne(500, false);
        }
    }

    public void Dispose()
    {
        _stop = true;
        _dispatchWake.Set();
        _loopWake.Set();
        _peer.Dispose();
    }
}

/// <summary>Whether a garbage collection or a JIT compilation happened in this process between two points.</summary>
public readonly struct Disturbance
{
    private readonly int _gcs;
    private readonly long _jitted;

    private Disturbance(int gcs, long jitted) { _gcs = gcs; _jitted = jitted; }

    public static Disturbance Now() => new(GC.CollectionCount(0), System.Runtime.JitInfo.GetCompiledMethodCount(currentThread: false));

    public bool GcSince(Disturbance start) => _gcs != start._gcs;

    public bool JitSince(Disturbance start) => _jitted != start._jitted;
}

/// <summary>One timed sample and what disturbed it.</summary>
public readonly record struct Sample(double Value, bool Gc, bool Jit)
{
    /// <summary>Of the slowest 1 % of <paramref name="samples"/>: how many overlapped a GC, a JIT compilation.</summary>
    public static string TailCauses(List<Sample> samples)
    {
        if (samples.Count == 0) return "n/a";
        int k = Math.Max(1, samples.Count / 100);
        var tail = samples.OrderByDescending(s => s.Value).Take(k).ToList();
        int all = samples.Count(s => s.Gc || s.Jit);
        return $"slowest {k}: {tail.Count(s => s.Gc)} during a GC, {tail.Count(s => s.Jit)} during a JIT compilation "
            + $"(of all {samples.Count}: {samples.Count(s => s.Gc)} GC, {samples.Count(s => s.Jit)} JIT)";
    }

    public static List<double> Values(List<Sample> samples) => samples.Select(s => s.Value).ToList();
}

/// <summary>Row 1g: one thread wakes another and nothing else (no MQTT, no TLS): the machine's own hand-off latency, with the
/// primitives a host could use. The waker stamps and sets after a 1–3 ms pause (the waiter is asleep, as the loop is); the
/// waiter stamps when its wait returns.</summary>
public static class HandOffProbe
{
    public static (string Name, List<double> Us)[] Run(int rounds)
    {
        var are = new AutoResetEvent(false);
        var mres = new ManualResetEventSlim(false, 0);
        var sem = new SemaphoreSlim(0);
        object gate = new();
        bool flag = false;
        return new[]
        {
            ("AutoResetEvent (Wakeup's)", Measure(rounds, () => are.Set(), ms => are.WaitOne(ms, false))),
            ("ManualResetEventSlim, no spin", Measure(rounds, () => mres.Set(), ms => { bool ok = mres.Wait(ms); if (ok) mres.Reset(); return ok; })),
            ("SemaphoreSlim", Measure(rounds, () => sem.Release(), ms => sem.Wait(ms))),
            ("Monitor.Wait/Pulse", Measure(rounds, () => { lock (gate) { flag = true; Monitor.Pulse(gate); } },
                ms => { lock (gate) { if (!flag) Monitor.Wait(gate, ms); bool was = flag; flag = false; return was; } })),
        };
    }

    private static List<double> Measure(int rounds, Action set, Func<int, bool> wait)
    {
        const int warmup = 50;
        long setAt = 0;
        var us = new List<double>();
        using var handled = new SemaphoreSlim(0);
        var waiter = new Thread(() =>
        {
            for (int i = 0; i < warmup + rounds; i++)
            {
                while (!wait(500)) { }
                long now = Stopwatch.GetTimestamp();
                if (i >= warmup) us.Add(Stats.TicksToMicroseconds(now - Volatile.Read(ref setAt)));
                handled.Release();
            }
        }) { IsBackground = true, Name = "hand-off probe" };
        waiter.Start();
        var random = new Random(3);
        for (int i = 0; i < warmup + rounds; i++)
        {
            Thread.Sleep(1 + random.Next(3));
            Volatile.Write(ref setAt, Stopwatch.GetTimestamp());
            set();
            if (!handled.Wait(5000)) break;
        }
        waiter.Join(5000);
        return us;
    }
}
