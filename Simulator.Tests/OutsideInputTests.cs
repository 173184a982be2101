using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.RegularExpressions;
using IotyDevice.TestKit;
using MQTTnet;
using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>The simulator runs a broker and a web page on the learner's PC while they browse the web: what other
/// web pages, other programs and crafted packets can and cannot do to it, over real sockets on loopback.</summary>
public class OutsideInputTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    [Fact]
    public void WebSocket_upgrades_are_accepted_only_from_the_origins_a_learner_uses()
    {
        using var dir = new TempDir();
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--web-port", "0", "--state-dir", dir.File("state"),
            "--allow-origin", "https://my-app.example/");
        sim.Verify(() =>
        {
            int web = new Uri(AppBuilderPageTests.PageUrl(sim)).Port;
            foreach (string origin in new[]
            {
                null, // not a web page: mosquitto tools, MQTTnet, MQTT Explorer
                "http://localhost:" + web, "http://127.0.0.1:" + web, "http://[::1]:" + web, // the simulator's own page
                "https://localhost:1234", // paho-mqtt's Origin
                "https://ioty-mqtt.a9i.sg", // the real IoTy MQTT App Builder
                "https://my-app.example", // --allow-origin
            })
                Assert.True(UpgradeStatus(web, "localhost:" + web, origin) == 101, "refused Origin " + origin);

            foreach (string origin in new[]
            {
                "http://evil.example", "null", "https://ioty-mqtt.a9i.sg.evil.example", "http://localhost.evil.example",
                "http://127.0.0.1:" + (web == 65535 ? 1 : web + 1), "https://ioty-mqtt.a9i.sg, http://evil.example",
            })
                Assert.True(UpgradeStatus(web, "localhost:" + web, origin) == 403, "accepted Origin " + origin);

            // DNS rebinding: a foreign name for this machine, whatever the Origin.
            Assert.Equal(403, UpgradeStatus(web, "evil.example:" + web, null));
        });
    }

    [Fact]
    public void No_web_keeps_the_host_and_origin_checks_on_mqtt()
    {
        using var dir = new TempDir();
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--web-port", "0", "--state-dir", dir.File("state"), "--no-web");
        sim.Verify(() =>
        {
            string line = sim.WaitForLine("[sim] embedded broker: ", Long);
            int web = int.Parse(Regex.Match(line, @"ws://localhost:(\d+)/mqtt").Groups[1].Value, CultureInfo.InvariantCulture);
            Assert.Equal(101, UpgradeStatus(web, "localhost:" + web, null));
            Assert.Equal(403, UpgradeStatus(web, "localhost:" + web, "http://evil.example"));
            Assert.Equal(403, UpgradeStatus(web, "evil.example", null));
        });
    }

    [Fact]
    public void In_chromium_a_page_of_another_site_cannot_open_the_simulators_websocket()
    {
        using var dir = new TempDir();
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--web-port", "0", "--state-dir", dir.File("state"));
        sim.Verify(() =>
        {
            int web = new Uri(AppBuilderPageTests.PageUrl(sim)).Port;
            // One page, served on two origins: http://127.0.0.1:<other port> is another site to the simulator,
            // http://localhost:<other port> a page on this machine, which it lets in.
            string html = "<!doctype html><title>waiting</title><script>var ws = new WebSocket('ws://localhost:" + web + "/mqtt', 'mqtt');"
                + "ws.onopen = function () { document.title = 'opened'; ws.close(); };"
                + "ws.onerror = function () { if (document.title === 'waiting') document.title = 'refused'; };</script>";
            using var site = new OneFileSite(html);
            using var browser = new Browser();
            browser.Driver.Navigate().GoToUrl("http://127.0.0.1:" + site.Port + "/");
            browser.Until(() => browser.Driver.Title != "waiting", "the WebSocket to open or fail");
            Assert.Equal("refused", browser.Driver.Title);
            browser.Driver.Navigate().GoToUrl("http://localhost:" + site.Port + "/");
            browser.Until(() => browser.Driver.Title != "waiting", "the WebSocket to open or fail");
            Assert.Equal("opened", browser.Driver.Title);
        });
    }

    [Fact]
    public void A_client_id_or_a_payload_holding_line_breaks_and_escapes_cannot_forge_a_terminal_line()
    {
        using var dir = new TempDir();
        string state = dir.File("state");
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--web-port", "0", "--state-dir", state);
        sim.Verify(() =>
        {
            string brokerLine = sim.WaitForLine("[sim] embedded broker: mqtts://localhost:", Long);
            int port = int.Parse(Regex.Match(brokerLine, @"localhost:(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            string password = File.ReadAllText(Path.Combine(state, "broker-password.txt")).Trim();
            string ca = Path.Combine(state, "ca.pem");
            sim.WaitForLine("[sim] the device is online; running the script", Long);

            var (intruder, refused) = AppPeers.TryConnect(port, "learner", "wrong", ca, "x\nMQTT: connected (forged)\u001b[2J\u0085");
            intruder.Dispose();
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, refused);
            sim.WaitForLine("[sim] broker: refused client 'x\uFFFDMQTT: connected (forged)\uFFFD[2J\uFFFD': wrong user name or password", Long);

            var (peer, result) = AppPeers.TryConnect(port, "learner", password, ca);
            using (peer)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, result);
                peer.Publish("topic2", "a\r\nReceived on topic1: FORGED\u202E");
                sim.WaitForLine("[app] topic2: a\uFFFD\uFFFDReceived on topic1: FORGED\uFFFD", Long);
            }
            Assert.DoesNotContain(sim.Lines, l => l.StartsWith("MQTT: connected (forged)", StringComparison.Ordinal) || l.Contains("FORGED", StringComparison.Ordinal) && !l.StartsWith("[app] ", StringComparison.Ordinal));
            Assert.DoesNotContain(sim.Lines, l => l.Contains('\u001b'));
        });
    }

    [Fact]
    public void The_monitor_command_prints_what_anyone_published_on_a_monitor_topic_without_its_control_characters()
    {
        using var dir = new TempDir();
        string state = dir.File("state");
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--state-dir", state);
        string port = Regex.Match(sim.WaitForLine("[sim] embedded broker: mqtts://localhost:", Long), @"localhost:(\d+)").Groups[1].Value;
        sim.WaitForLine("MQTT: subscribed to topic1", Long);
        using var monitor = SimulatorProcess.Start(dir.Path, "monitor", "--board", "240ac412abfe", "--port", port, "--state-dir", state);
        monitor.Verify(() =>
        {
            monitor.WaitForLine("[240ac412abfe] online", Long);
            var (peer, result) = AppPeers.TryConnect(int.Parse(port, CultureInfo.InvariantCulture), "learner",
                File.ReadAllText(Path.Combine(state, "broker-password.txt")).Trim(), Path.Combine(state, "ca.pem"));
            using (peer)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, result);
                peer.Publish("240ac412abfe/monitor", "x\nMQTT: connected\u001b[2J\u202E");
                monitor.WaitForLine("[240ac412abfe] x\uFFFDMQTT: connected\uFFFD[2J\uFFFD", Long);
            }
            Assert.DoesNotContain(monitor.Lines, l => l.Contains('\u001b'));
        }, sim.Transcript);
    }

    [Fact]
    public void Other_sites_cannot_post_to_the_page_and_the_page_never_carries_the_password()
    {
        using var dir = new TempDir();
        string state = dir.File("state");
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--web-port", "0", "--state-dir", state);
        sim.Verify(() =>
        {
            string page = AppBuilderPageTests.PageUrl(sim);
            sim.WaitForLine("[sim] the device is online; running the script", Long);
            string password = File.ReadAllText(Path.Combine(state, "broker-password.txt")).Trim();
            using var http = new HttpClient { BaseAddress = new Uri(page), Timeout = Long };

            // A form or a no-cors fetch from another site can only send simple content types: refused.
            var form = new StringContent("topic=topic1&text=on", Encoding.UTF8, "application/x-www-form-urlencoded");
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, http.PostAsync("api/publish", form).Result.StatusCode);
            var text = new StringContent("{\"topic\":\"topic1\",\"text\":\"on\"}", Encoding.UTF8, "text/plain");
            Assert.Equal(HttpStatusCode.UnsupportedMediaType, http.PostAsync("api/publish", text).Result.StatusCode);
            // application/json needs a CORS preflight, which is never granted.
            var preflight = new HttpRequestMessage(HttpMethod.Options, "api/publish");
            preflight.Headers.Add("Origin", "http://evil.example");
            preflight.Headers.Add("Access-Control-Request-Method", "POST");
            preflight.Headers.Add("Access-Control-Request-Headers", "content-type");
            HttpResponseMessage answer = http.SendAsync(preflight).Result;
            Assert.Equal(HttpStatusCode.MethodNotAllowed, answer.StatusCode);
            Assert.False(answer.Headers.Contains("Access-Control-Allow-Origin"));
            // A foreign Host (DNS rebinding) gets nothing at all.
            var rebound = new HttpRequestMessage(HttpMethod.Get, "/");
            rebound.Headers.Host = "evil.example";
            Assert.Equal(HttpStatusCode.Forbidden, http.SendAsync(rebound).Result.StatusCode);
            Assert.DoesNotContain(sim.Lines, l => l.StartsWith("Received on topic1", StringComparison.Ordinal));

            // Everything the page loads: shown as text under a strict CSP, and never the broker password.
            HttpResponseMessage index = http.GetAsync("/").Result;
            Assert.StartsWith("default-src 'self';", index.Headers.GetValues("Content-Security-Policy").Single());
            Assert.Equal("nosniff", index.Headers.GetValues("X-Content-Type-Options").Single());
            var loaded = new StringBuilder(index.Content.ReadAsStringAsync().Result);
            loaded.Append(http.GetStringAsync("app.js").Result).Append(http.GetStringAsync("app.css").Result);
            loaded.Append(FirstEvents(http));
            string all = loaded.ToString();
            Assert.Contains("\"type\":\"setup\"", all);
            Assert.DoesNotContain(password, all, StringComparison.Ordinal);
            Assert.DoesNotContain(".innerHTML", all, StringComparison.Ordinal);
        });
    }

    [Fact]
    public void The_broker_and_the_web_server_listen_on_loopback_only()
    {
        using var dir = new TempDir();
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--web-port", "0", "--state-dir", dir.File("state"));
        sim.Verify(() =>
        {
            string brokerLine = sim.WaitForLine("[sim] embedded broker: mqtts://localhost:", Long);
            int broker = int.Parse(Regex.Match(brokerLine, @"mqtts://localhost:(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            int web = int.Parse(Regex.Match(brokerLine, @"ws://localhost:(\d+)").Groups[1].Value, CultureInfo.InvariantCulture);
            foreach (int port in new[] { broker, web })
            {
                string[] addresses = ListeningAddresses(port);
                Assert.NotEmpty(addresses);
                Assert.All(addresses, a => Assert.True(a == "0100007F" || a == "00000000000000000000000001000000", "port " + port + " listens on " + a));
            }
        });
    }

    /// <summary>The local addresses (hex, as /proc/net/tcp writes them) of the sockets listening on <paramref name="port"/>.</summary>
    private static string[] ListeningAddresses(int port)
    {
        string hexPort = port.ToString("X4", CultureInfo.InvariantCulture);
        return new[] { "/proc/net/tcp", "/proc/net/tcp6" }.SelectMany(File.ReadLines)
            .Select(l => l.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries))
            .Where(f => f.Length > 3 && f[3] == "0A" && f[1].EndsWith(":" + hexPort, StringComparison.Ordinal))
            .Select(f => f[1].Split(':')[0]).ToArray();
    }

    /// <summary>What the page's event stream sends first (the setup, the lines so far), read for a moment.</summary>
    private static string FirstEvents(HttpClient http)
    {
        using var cancel = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        var text = new StringBuilder();
        try
        {
            using Stream stream = http.GetStreamAsync("events", cancel.Token).Result;
            var buffer = new byte[8192];
            int n;
            while ((n = stream.ReadAsync(buffer, cancel.Token).AsTask().Result) > 0) text.Append(Encoding.UTF8.GetString(buffer, 0, n));
        }
        catch (AggregateException e) when (e.InnerException is OperationCanceledException)
        {
            // The stream never ends by itself.
        }
        return text.ToString();
    }

    /// <summary>A raw WebSocket upgrade request for /mqtt, as a browser sends it; returns the HTTP status.</summary>
    internal static int UpgradeStatus(int port, string host, string origin)
    {
        using var client = new TcpClient();
        client.Connect(IPAddress.Loopback, port);
        client.ReceiveTimeout = (int)Long.TotalMilliseconds;
        NetworkStream stream = client.GetStream();
        string request = "GET /mqtt HTTP/1.1\r\nHost: " + host + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + "Sec-WebSocket-Key: " + Convert.ToBase64String(Guid.NewGuid().ToByteArray()) + "\r\nSec-WebSocket-Version: 13\r\n"
            + "Sec-WebSocket-Protocol: mqtt\r\n" + (origin == null ? "" : "Origin: " + origin + "\r\n") + "\r\n";
        stream.Write(Encoding.ASCII.GetBytes(request));
        var status = new StringBuilder();
        for (int b; (b = stream.ReadByte()) >= 0 && b != '\n'; ) status.Append((char)b);
        Match code = Regex.Match(status.ToString(), @"^HTTP/1\.1 (\d{3})");
        Assert.True(code.Success, "not an HTTP answer: " + status);
        return int.Parse(code.Groups[1].Value, CultureInfo.InvariantCulture);
    }

    /// <summary>One HTML page on 127.0.0.1 and localhost at a free port: a web site other than the simulator.</summary>
    private sealed class OneFileSite : IDisposable
    {
        private readonly HttpListener _listener = new();

        public OneFileSite(string html)
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            Port = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            _listener.Prefixes.Add("http://127.0.0.1:" + Port + "/");
            _listener.Prefixes.Add("http://localhost:" + Port + "/");
            _listener.Start();
            byte[] body = Encoding.UTF8.GetBytes(html);
            Task.Run(() =>
            {
                while (_listener.IsListening)
                {
                    HttpListenerContext context;
                    try { context = _listener.GetContext(); }
                    catch (Exception e) when (e is HttpListenerException || e is ObjectDisposedException || e is InvalidOperationException) { return; }
                    context.Response.ContentType = "text/html; charset=utf-8";
                    context.Response.OutputStream.Write(body);
                    context.Response.Close();
                }
            });
        }

        public int Port { get; }

        public void Dispose() => _listener.Close();
    }
}
