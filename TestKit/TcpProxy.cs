using System.Net;
using System.Net.Sockets;

namespace IotyDevice.TestKit;

/// <summary>A loopback TCP relay between the device and the broker that a test can cut: Cut() resets every
/// relayed connection at once (RST, no DISCONNECT), which is what the broker sees when a board loses power or
/// WiFi, so its last will fires. While Blocked, new connections are reset as soon as they arrive.
/// GoSilent() is a WiFi loss neither end has noticed yet: every relayed connection stops carrying bytes in both
/// directions, with no RST and no FIN, until the ends give up by their own timeouts (keepalive); connections
/// made while silent carry nothing either. Heal() lets new connections through again; the silenced ones stay
/// dead, as a TCP connection across a real outage does. ConnectDelayMs holds every new connection that long
/// before it reaches the broker (a slow network during the TLS handshake and CONNECT).</summary>
public sealed class TcpProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<Socket> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _blocked;
    private volatile bool _silent;
    private readonly List<Link> _links = new();

    /// <summary>One relayed connection; Silent drops what it would carry.</summary>
    private sealed class Link
    {
        public volatile bool Silent;
    }

    public int Port { get; }

    public TcpProxy(int targetPort)
    {
        _targetPort = targetPort;
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = AcceptLoop();
    }

    public bool Blocked
    {
        get => _blocked;
        set => _blocked = value;
    }

    /// <summary>How long a new connection waits before it reaches the broker; 0 relays at once.</summary>
    public int ConnectDelayMs { get; set; }

    /// <summary>Stops every relayed connection silently (see the class summary).</summary>
    public void GoSilent()
    {
        _silent = true;
        lock (_links) foreach (Link link in _links) link.Silent = true;
    }

    /// <summary>New connections are relayed again; the silenced ones stay silent.</summary>
    public void Heal() => _silent = false;

    private async Task AcceptLoop()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try { client = await _listener.AcceptSocketAsync(_stop.Token); }
            catch (Exception) { return; }
            if (_blocked) { Reset(client); continue; }
            _ = Relay(client);
        }
    }

    private async Task Relay(Socket client)
    {
        var server = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        client.NoDelay = true;
        var link = new Link { Silent = _silent };
        Socket gaveUp = null;
        lock (_open) { _open.Add(client); _open.Add(server); }
        lock (_links) _links.Add(link);
        try
        {
            int delay = ConnectDelayMs;
            // At least that long: a timer can fire a few ms early, and tests time the delay with a Stopwatch.
            var held = System.Diagnostics.Stopwatch.StartNew();
            while (held.ElapsedMilliseconds < delay) await Task.Delay(delay - (int)held.ElapsedMilliseconds + 1, _stop.Token);
            await server.ConnectAsync(IPAddress.Loopback, _targetPort);
            Task<Socket> first = await Task.WhenAny(Pump(client, server, link), Pump(server, client, link));
            if (first.IsCompletedSuccessfully) gaveUp = first.Result;
        }
        catch (Exception)
        {
            // Either side went away; both are closed below.
        }
        finally
        {
            lock (_links) _links.Remove(link);
            if (link.Silent && gaveUp != null)
            {
                // One end gave up on a silenced connection: across a real outage the other end hears nothing of it
                // and finds out by its own timeout. Its socket stays open until Dispose.
                lock (_open) _open.Remove(gaveUp);
                Reset(gaveUp);
            }
            else
            {
                lock (_open) { _open.Remove(client); _open.Remove(server); }
                Reset(client);
                Reset(server);
            }
        }
    }

    /// <summary>Relays until <paramref name="from"/> closes or fails; returns it.</summary>
    private static async Task<Socket> Pump(Socket from, Socket to, Link link)
    {
        byte[] buffer = new byte[16384];
        while (true)
        {
            int n;
            try { n = await from.ReceiveAsync(buffer, SocketFlags.None); }
            catch (Exception) { return from; }
            if (n == 0) return from;
            if (link.Silent) continue; // lost on the way
            await to.SendAsync(buffer.AsMemory(0, n), SocketFlags.None);
        }
    }

    /// <summary>Resets every relayed connection now: both the device and the broker see the link die.</summary>
    public void Cut()
    {
        Socket[] open;
        lock (_open) open = _open.ToArray();
        foreach (Socket s in open) Reset(s);
    }

    private static void Reset(Socket s)
    {
        try
        {
            s.LingerState = new LingerOption(true, 0); // close with RST, not FIN
            s.Close();
        }
        catch (Exception)
        {
            // Already closed.
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        Cut();
    }
}

/// <summary>A TCP server on a port that accepts and never answers: a TLS client waits for a ServerHello that never
/// comes (what a device sees when BrokerPort points at something that is not an MQTTS listener).</summary>
public sealed class SilentServer : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly List<Socket> _held = new();
    private readonly CancellationTokenSource _stop = new();

    public int Port { get; }

    public SilentServer()
    {
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _ = Accept();
    }

    private async Task Accept()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                Socket s = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_held) _held.Add(s);
            }
            catch (Exception)
            {
                return;
            }
        }
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        lock (_held) foreach (Socket s in _held) s.Close();
    }
}
