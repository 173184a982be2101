using System.Net;
using System.Net.Sockets;

namespace IotyDevice.TestKit;

/// <summary>A loopback TCP relay between the device and the broker that a test can cut: Cut() resets every
/// relayed connection at once (RST, no DISCONNECT), which is what the broker sees when a board loses power or
/// WiFi, so its last will fires. While Blocked, new connections are reset as soon as they arrive.</summary>
public sealed class TcpProxy : IDisposable
{
    private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
    private readonly int _targetPort;
    private readonly List<Socket> _open = new();
    private readonly CancellationTokenSource _stop = new();
    private volatile bool _blocked;

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
        lock (_open) { _open.Add(client); _open.Add(server); }
        try
        {
            await server.ConnectAsync(IPAddress.Loopback, _targetPort);
            await Task.WhenAny(Pump(client, server), Pump(server, client));
        }
        catch (Exception)
        {
            // Either side went away; both are closed below.
        }
        finally
        {
            lock (_open) { _open.Remove(client); _open.Remove(server); }
            Reset(client);
            Reset(server);
        }
    }

    private static async Task Pump(Socket from, Socket to)
    {
        byte[] buffer = new byte[16384];
        while (true)
        {
            int n = await from.ReceiveAsync(buffer, SocketFlags.None);
            if (n == 0) return;
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
