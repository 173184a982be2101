using System.Diagnostics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text.RegularExpressions;
using MQTTnet;
using IotyDevice.TestKit;
using Simulator.Tests.Infrastructure;

namespace Simulator.Tests;

/// <summary>`dotnet run --project Host/IotyDevice.Simulator` with no settings: the embedded TLS broker.</summary>
public class EmbeddedBrokerTests
{
    private static readonly TimeSpan Long = TimeSpan.FromSeconds(20);

    [Fact]
    public void Lesson_flow_on_the_embedded_broker_then_quit_exits_0()
    {
        using var dir = new TempDir();
        string state = dir.File("state");
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--state-dir", state);
        sim.Verify(() =>
        {
            string brokerLine = sim.WaitForLine("[sim] embedded broker: mqtts://localhost:", Long);
            int port = int.Parse(Regex.Match(brokerLine, @"localhost:(\d+)").Groups[1].Value);
            string password = File.ReadAllText(Path.Combine(state, "broker-password.txt")).Trim();
            string ca = Path.Combine(state, "ca.pem");
            Assert.Matches(@"\(TLS, the board's way in\) and ws://localhost:\d+/mqtt \(WebSockets, for the App Builder in a browser\), user learner, password " + password + "$", brokerLine);

            // The broker checks the password: a wrong one is a CONNACK refusal.
            var (intruder, refused) = AppPeers.TryConnect(port, "learner", "not-" + password, ca);
            intruder.Dispose();
            Assert.Equal(MqttClientConnectResultCode.BadUserNameOrPassword, refused);

            var (peer, result) = AppPeers.TryConnect(port, "learner", password, ca);
            using (peer)
            {
                Assert.Equal(MqttClientConnectResultCode.Success, result);
                peer.Subscribe("topic2");

                sim.WaitForLine("MQTT: connected (new session)", Long);
                sim.WaitForLine("[sim] the device is online; running the script", Long);
                Assert.Contains("Chip ID: 240ac412abfe", sim.Lines);
                Assert.Contains("MQTT: connecting to localhost:" + port + " as 240ac412abfe...", sim.Lines);
                sim.WaitForLine("MQTT: subscribed to topic1", Long); // printed at the SUBACK, which may follow "online"

                sim.Send("pub topic1 on");
                sim.WaitForLine("Received on topic1: on", Long);

                sim.Send("b");
                sim.WaitForLine("[app] topic2: hello", Long);
                Until(() => peer.TextsOn("topic2").Length >= 1, "the test's own client to receive hello on topic2", () => peer.ReceivedText);
                Thread.Sleep(500); // room for a second hello to show up, if one press made two
                Assert.Equal(new[] { "hello" }, peer.TextsOn("topic2"));
                Assert.Equal(1, sim.Count("BOOT: sent hello to topic2"));
                Assert.Equal(1, sim.Count("[app] topic2: hello"));
                Assert.Equal(1, sim.Count("Received on topic1: on"));

                // How long the quit takes is a figure of scripts/bench.sh, not a test: a timed assertion fails on a busy machine.
                sim.Send("quit");
                Assert.Equal(0, sim.WaitForExit(TimeSpan.FromSeconds(10)));
                Assert.Equal("[sim] script done; exit code 0", sim.Lines.Last());
            }
        });
    }

    [Fact]
    public void A_piped_script_drops_and_restores_wifi_and_the_message_sent_while_away_arrives()
    {
        using var dir = new TempDir();
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--state-dir", dir.File("state"), "--timeout", "10");
        sim.Verify(() =>
        {
            foreach (string line in new[]
            {
                "wifi off",
                "wait WiFi: connection lost; reconnecting",
                "wait WiFi: no network named \"simulated-wifi\" in range",
                "pub topic1 while-away",
                "wifi on",
                "wait MQTT: connected (session resumed",
                "wait Received on topic1: while-away",
                "b",
                "wait [app] topic2: hello",
            })
            {
                sim.Send(line);
            }
            sim.CloseInput();
            Assert.Equal(0, sim.WaitForExit(Long));
            string[] lines = sim.Lines;
            Assert.Equal("[sim] script done; exit code 0", lines.Last());
            int lost = Array.IndexOf(lines, "WiFi: connection lost; reconnecting");
            int resumed = Array.FindIndex(lines, l => l.StartsWith("MQTT: connected (session resumed", StringComparison.Ordinal));
            int received = Array.IndexOf(lines, "Received on topic1: while-away");
            Assert.True(lost > 0 && resumed > lost && received > resumed, "expected WiFi lost, then reconnected, then the kept message");

            // With the access point off a board's scan sees no such network: the line says so, as the README shows.
            string readme = Path.Combine(Path.GetDirectoryName(SimulatorProcess.Dll), "../../../../..", "README.md");
            string documented = File.ReadAllLines(readme).Single(l => l.StartsWith("WiFi: no network named \"simulated-wifi\"", StringComparison.Ordinal));
            Assert.Contains(documented, lines);
            Assert.DoesNotContain(lines, l => l.Contains("password", StringComparison.OrdinalIgnoreCase) && l.StartsWith("WiFi:", StringComparison.Ordinal));
        });
    }

    [Fact]
    public void Development_CA_is_made_on_first_run_reused_after_and_made_again_once_expired()
    {
        using var dir = new TempDir();
        string state = dir.File("state");
        string ca = Path.Combine(state, "ca.pem");

        RunToConnected(dir, state, "(made now: first run;");
        string first = File.ReadAllText(ca);
        RunToConnected(dir, state, "(kept from an earlier run;");
        Assert.Equal(first, File.ReadAllText(ca));

        // A server certificate that expired yesterday (with its matching key) stands in for a year-old one.
        using (ECDsa key = ECDsa.Create(ECCurve.NamedCurves.nistP256))
        {
            var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256);
            using X509Certificate2 old = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-400), DateTimeOffset.UtcNow.AddDays(-1));
            File.WriteAllText(Path.Combine(state, "server.pem"), old.ExportCertificatePem() + "\n");
            File.WriteAllText(Path.Combine(state, "server.key"), key.ExportPkcs8PrivateKeyPem() + "\n");
        }
        RunToConnected(dir, state, "(made now: the old ones expired on");
        Assert.NotEqual(first, File.ReadAllText(ca));
    }

    [Fact]
    public void The_password_and_the_server_key_are_created_0600_and_the_password_is_20_letters_and_digits()
    {
        using var dir = new TempDir();
        string state = dir.File("state");
        string trace = dir.File("trace.txt");
        // strace shows the mode each file is created with: a file created 0644 and chmodded afterwards is readable
        // by anyone on the PC in between (and for good, were the program stopped there).
        var (code, output) = ShellCommand.Run(dir.Path, "strace -f -qq -e trace=openat,creat -o '" + trace + "' dotnet '" + SimulatorProcess.Dll
            + "' --port 0 --state-dir '" + state + "' </dev/null", TimeSpan.FromSeconds(60));
        Assert.True(code == 0, output);
        foreach (string name in new[] { "broker-password.txt", "server.key" })
        {
            string path = Path.Combine(state, name);
            string[] creates = File.ReadAllLines(trace).Where(l => l.Contains("\"" + path + "\"", StringComparison.Ordinal) && l.Contains("O_CREAT", StringComparison.Ordinal)).ToArray();
            Assert.NotEmpty(creates);
            Assert.All(creates, l => Assert.EndsWith(", 0600) = " + l.Split(" = ").Last(), l));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
        }
        Assert.Matches("^[a-z2-9]{20}$", File.ReadAllText(Path.Combine(state, "broker-password.txt")).Trim());
    }

    /// <summary>A script with no lines: connect, then exit 0.</summary>
    private static void RunToConnected(TempDir dir, string state, string caLine)
    {
        using var sim = SimulatorProcess.Start(dir.Path, "--port", "0", "--state-dir", state);
        sim.Verify(() =>
        {
            sim.CloseInput();
            Assert.Equal(0, sim.WaitForExit(Long));
            Assert.Contains(sim.Lines, l => l.StartsWith("[sim] development CA: ", StringComparison.Ordinal) && l.Contains(caLine, StringComparison.Ordinal));
            Assert.Contains("MQTT: connected (new session)", sim.Lines);
        });
    }

    [Fact]
    public void A_wrong_command_line_prints_the_usage_and_exits_1()
    {
        using var dir = new TempDir();
        using var sim = SimulatorProcess.Start(dir.Path, "--bogus");
        sim.Verify(() =>
        {
            sim.CloseInput();
            Assert.Equal(1, sim.WaitForExit(TimeSpan.FromSeconds(10)));
            string transcript = sim.Transcript();
            Assert.Contains("err| error: unknown option '--bogus'", transcript);
            Assert.Contains("err|   --settings <file>", transcript);
        });
    }

    private static void Until(Func<bool> condition, string what, Func<string> seen)
    {
        var clock = Stopwatch.StartNew();
        while (!condition())
        {
            if (clock.Elapsed > Long) throw new TimeoutException("Timed out waiting for " + what + "; it got:\n" + seen());
            Thread.Sleep(20);
        }
    }
}
