using System.Globalization;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Net.WebSockets;
using System.Text;
using System.Text.RegularExpressions;
using IotyDevice.TestKit;
using MQTTnet;
using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>The embedded broker against clients that do not play by the rules, over real sockets on loopback: packet
/// sizes, silent connections, topic names Mosquitto refuses. Sizes stay small: a packet that declares 100 MB is sent
/// only as far as the broker lets it.</summary>
public class BrokerLimitsTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);
    private const int BoardLimit = 4096; // MqttLimits.MaxPacketBytes
    private const int Pushed = 16 * 1024 * 1024; // more than loopback's socket buffers hold

    private sealed class Broker : IDisposable
    {
        public Broker()
        {
            Dir = new TempDir();
            string state = Dir.File("state");
            Sim = SimulatorProcess.Start(Dir.Path, "--port", "0", "--web-port", "0", "--state-dir", state);
            string line = Sim.WaitForLine("[sim] embedded broker: mqtts://localhost:", Long);
            Port = int.Parse(Regex.Match(line, @"mqtts://localhost:(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            WebPort = int.Parse(Regex.Match(line, @"ws://localhost:(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            Password = File.ReadAllText(Path.Combine(state, "broker-password.txt")).Trim();
            Ca = Path.Combine(state, "ca.pem");
        }

        public TempDir Dir { get; }
        public SimulatorProcess Sim { get; }
        public int Port { get; }
        public int WebPort { get; }
        public string Password { get; }
        public string Ca { get; }

        public long RssKb => long.Parse(Regex.Match(File.ReadAllText("/proc/" + Sim.ProcessId + "/status"), @"VmRSS:\s+(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);

        public void Dispose()
        {
            Sim.Dispose();
            Dir.Dispose();
        }
    }

    [Fact]
    public void A_connect_declaring_100_MB_on_the_tls_port_is_cut_off_after_its_header()
    {
        using var broker = new Broker();
        broker.Sim.Verify(() =>
        {
            long before = broker.RssKb;
            using var client = new TcpClient();
            client.Connect(IPAddress.Loopback, broker.Port);
            using SslStream tls = Tls(client);
            long sent = Push(tls, Header(0x10, 100_000_000));
            Assert.True(sent < Pushed, "the broker read all " + sent + " bytes of a CONNECT declaring 100 MB");
            Assert.True(Closed(tls), "the connection stayed open");
            Assert.True(broker.RssKb - before < 64 * 1024, "the simulator grew by " + (broker.RssKb - before) + " KB");
        });
    }

    [Fact]
    public void A_connect_declaring_200_MB_over_websockets_is_cut_off_after_its_header()
    {
        using var broker = new Broker();
        broker.Sim.Verify(() =>
        {
            long before = broker.RssKb;
            using var ws = new ClientWebSocket();
            ws.Options.AddSubProtocol("mqtt");
            ws.ConnectAsync(new Uri("ws://localhost:" + broker.WebPort + "/mqtt"), CancellationToken.None).Wait(Long);
            byte[] chunk = new byte[64 * 1024];
            byte[] header = Header(0x10, 200_000_000);
            long sent = 0;
            try
            {
                ws.SendAsync(header, WebSocketMessageType.Binary, false, CancellationToken.None).Wait(Long);
                for (; sent < Pushed; sent += chunk.Length)
                    Assert.True(ws.SendAsync(chunk, WebSocketMessageType.Binary, false, CancellationToken.None).Wait(Long), "a send hung");
                WebSocketReceiveResult answer = ws.ReceiveAsync(new byte[16], CancellationToken.None).Result;
                Assert.Equal(WebSocketMessageType.Close, answer.MessageType);
            }
            catch (AggregateException e) when (e.InnerException is WebSocketException || e.InnerException is IOException)
            {
                // Closed under the sender: the broker read no further.
            }
            Assert.True(sent < Pushed, "the broker read all " + sent + " bytes of a CONNECT declaring 200 MB");
            Assert.True(broker.RssKb - before < 64 * 1024, "the simulator grew by " + (broker.RssKb - before) + " KB");
        });
    }

    [Fact]
    public void After_connack_a_publish_larger_than_the_board_takes_closes_the_connection_and_one_that_fits_arrives()
    {
        using var broker = new Broker();
        broker.Sim.Verify(() =>
        {
            broker.Sim.WaitForLine("[sim] the device is online; running the script", Long);
            var (peer, result) = AppPeers.TryConnect(broker.Port, "learner", broker.Password, broker.Ca);
            using (peer)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, result);
                string fits = new string('f', BoardLimit - 100);
                peer.Publish("topic2", fits);
                broker.Sim.WaitForLine("[app] topic2: fff", Long);
                try
                {
                    peer.Publish("topic2", new string('b', BoardLimit + 1));
                }
                catch (Exception)
                {
                    // The connection may be gone before the PUBACK could come.
                }
                var clock = System.Diagnostics.Stopwatch.StartNew();
                while (peer.IsConnected && clock.Elapsed < Long) Thread.Sleep(20);
                Assert.False(peer.IsConnected, "the broker kept a connection that sent a packet larger than the board takes");
                Assert.DoesNotContain(broker.Sim.Lines, l => l.StartsWith("[app] topic2: bbb", StringComparison.Ordinal));
            }
        });
    }

    [Fact]
    public void A_connection_that_does_not_finish_its_tls_handshake_or_send_its_connect_is_closed()
    {
        using var broker = new Broker();
        broker.Sim.Verify(() =>
        {
            using var silent = new TcpClient { ReceiveTimeout = (int)Long.TotalMilliseconds };
            silent.Connect(IPAddress.Loopback, broker.Port);
            using var handshaken = new TcpClient();
            handshaken.Connect(IPAddress.Loopback, broker.Port);
            using SslStream tls = Tls(handshaken);
            // Both wait together: about 10 s each (the handshake, then the CONNECT).
            Task<bool> silentClosed = Task.Run(() => Closed(silent.GetStream()));
            Task<bool> connectless = Task.Run(() => Closed(tls));
            Assert.True(silentClosed.Result, "a connection that never started TLS stayed open");
            Assert.True(connectless.Result, "a TLS connection that never sent CONNECT stayed open");
        });
    }

    [Theory]
    [InlineData("#")]
    [InlineData("+")]
    [InlineData("topic1/#")]
    [InlineData("topic1/+/x")]
    [InlineData("a\0b")]
    public void A_publish_to_an_invalid_topic_name_closes_the_connection_and_reaches_no_one(string topic)
    {
        using var broker = new Broker();
        broker.Sim.Verify(() =>
        {
            var (watcher, result) = AppPeers.TryConnect(broker.Port, "learner", broker.Password, broker.Ca);
            using (watcher)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, result);
                watcher.Subscribe("#");
                using SslStream tls = Connected(broker);
                byte[] name = Encoding.UTF8.GetBytes(topic);
                byte[] body = new byte[2 + name.Length + 6];
                body[0] = (byte)(name.Length >> 8);
                body[1] = (byte)name.Length;
                name.CopyTo(body, 2);
                Encoding.ASCII.GetBytes("FORGED").CopyTo(body, 2 + name.Length);
                tls.Write(Header(0x30, body.Length).Concat(body).ToArray());
                Assert.True(Closed(tls), "the broker kept the connection after a PUBLISH to " + topic);
                // A valid publish after it: once it arrives, the invalid one would have too.
                watcher.Publish("topic9", "after");
                Wait.Until(watcher.Changed, () => watcher.TextsOn("topic9").Length > 0, Long, "the valid message");
                Assert.DoesNotContain(watcher.Received, m => Encoding.UTF8.GetString(m.Payload) == "FORGED");
            }
        });
    }

    [Theory]
    [InlineData(new byte[] { 0x82, 2, 0, 1 })] // no topic filter at all
    [InlineData(new byte[] { 0x82, 10, 0, 1, 0, 5, (byte)'a', (byte)'/', (byte)'#', (byte)'/', (byte)'b', 0 })] // # not last
    public void A_subscribe_without_a_valid_topic_filter_closes_the_connection(byte[] subscribe)
    {
        using var broker = new Broker();
        broker.Sim.Verify(() =>
        {
            using SslStream tls = Connected(broker);
            tls.Write(subscribe);
            Assert.True(Closed(tls), "the broker answered a SUBSCRIBE Mosquitto refuses");
        });
    }

    [Fact]
    public void An_anonymous_connect_is_refused()
    {
        using var broker = new Broker();
        broker.Sim.Verify(() =>
        {
            using SslStream tls = Connect(broker, anonymous: true, out byte[] connack);
            Assert.Equal(new byte[] { 0x20, 2, 0 }, connack[..3]);
            Assert.Contains(connack[3], new byte[] { 4, 5 }); // bad user name or password, not authorized
            Assert.True(Closed(tls), "the broker kept an anonymous connection");
        });
    }

    /// <summary>An MQTT 3.1.1 connection over TLS with the learner's password, CONNACK read.</summary>
    private static SslStream Connected(Broker broker)
    {
        SslStream tls = Connect(broker, anonymous: false, out byte[] connack);
        Assert.Equal(new byte[] { 0x20, 2, 0, 0 }, connack);
        return tls;
    }

    /// <summary>Sends a clean-session CONNECT over TLS, with the learner's credentials or none; reads the CONNACK.</summary>
    private static SslStream Connect(Broker broker, bool anonymous, out byte[] connack)
    {
        var client = new TcpClient();
        client.Connect(IPAddress.Loopback, broker.Port);
        SslStream tls = Tls(client);
        var body = new List<byte> { 0, 4, (byte)'M', (byte)'Q', (byte)'T', (byte)'T', 4, anonymous ? (byte)0x02 : (byte)0xC2, 0, 60 };
        string id = "raw-" + Guid.NewGuid().ToString("N")[..8];
        foreach (string field in anonymous ? new[] { id } : new[] { id, "learner", broker.Password })
        {
            byte[] bytes = Encoding.UTF8.GetBytes(field);
            body.Add((byte)(bytes.Length >> 8));
            body.Add((byte)bytes.Length);
            body.AddRange(bytes);
        }
        tls.Write(Header(0x10, body.Count).Concat(body).ToArray());
        connack = new byte[4];
        tls.ReadExactly(connack);
        return tls;
    }

    private static SslStream Tls(TcpClient client)
    {
        client.ReceiveTimeout = (int)Long.TotalMilliseconds;
        var tls = new SslStream(client.GetStream(), false, (_, _, _, _) => true); // the development CA; trust is not the point here
        tls.AuthenticateAsClient("localhost");
        return tls;
    }

    /// <summary>A fixed header: the packet type byte and the remaining length as MQTT encodes it.</summary>
    private static byte[] Header(byte type, int remaining)
    {
        var header = new List<byte> { type };
        do
        {
            byte b = (byte)(remaining % 128);
            remaining /= 128;
            header.Add(remaining > 0 ? (byte)(b | 0x80) : b);
        } while (remaining > 0);
        return header.ToArray();
    }

    /// <summary>Writes the header, then zeros up to <see cref="Pushed"/> bytes or until the connection breaks; returns
    /// how many bytes after the header went out.</summary>
    private static long Push(Stream stream, byte[] header)
    {
        var chunk = new byte[64 * 1024];
        long sent = 0;
        try
        {
            stream.Write(header);
            for (; sent < Pushed; sent += chunk.Length) stream.Write(chunk);
        }
        catch (IOException)
        {
            // Closed by the broker.
        }
        return sent;
    }

    /// <summary>True when the other side closes the connection within <see cref="Long"/> (the read timeout).</summary>
    private static bool Closed(Stream stream)
    {
        try
        {
            var buffer = new byte[256];
            while (true)
            {
                if (stream.Read(buffer) == 0) return true;
            }
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.TimedOut })
        {
            return false;
        }
        catch (IOException)
        {
            return true; // reset
        }
    }
}
