using IotyDevice.Core;
using Broker.Tests.Infrastructure;
using Xunit;

namespace Broker.Tests.Scenarios;

/// <summary>Scenario 3: each way a learner's setup can be wrong gives one clear monitor line naming the cause,
/// retries back off, and nothing ends the loop.</summary>
public sealed class FailureReportingTests
{
    private static void LoopSurvives(Rig rig)
    {
        Assert.True(rig.Device.IsAlive, "the device loop ended\n" + rig.Transcript());
        rig.Device.Stop(); // fails the test if Run() does not return in time
        Assert.False(rig.Device.IsAlive);
        Assert.DoesNotContain(rig.Device.Monitor.Lines, l => l.StartsWith("TEST: the device loop crashed"));
    }

    [Fact]
    public void Wrong_password_is_one_line_naming_the_credentials_and_retries_back_off()
    {
        // Seeded jitter: the delays are the ones this Backoff draws, so the test knows how many tries fit in the window.
        const int seed = 11;
        using var rig = new Rig(nameof(Wrong_password_is_one_line_naming_the_credentials_and_retries_back_off),
            settings: s => s["BrokerPassword"] = "not-the-password", options: o => o.Random = new Random(seed));
        rig.Run(() =>
        {
            const string refused = "disconnected, not authorised";
            rig.Device.Start();
            rig.WaitUntil(rig.Broker.Changed, () => rig.Broker.CountLog(refused) >= 1, 10, "the first refused attempt");
            long first = rig.Broker.LogArrivalMs(refused)[0];

            // Count attempts over a fixed 3 s window: the first plus one per backoff delay (base 100 ms, doubling,
            // cap 1 s) that ends inside it. A loop retrying every 100 ms would make 30.
            var options = rig.Device.Options;
            var backoff = new Backoff(options.BackoffBaseMs, options.BackoffCapMs, new Random(seed));
            int expected = 1;
            for (long at = backoff.NextDelayMs(); at <= 3000; at += backoff.NextDelayMs()) expected++;
            long left = first + 3000 - rig.Broker.ElapsedMs;
            if (left > 0) Thread.Sleep((int)left); // observing a fixed window: nothing to wait for but time
            long[] attempts = rig.Broker.LogArrivalMs(refused).Where(t => t - first <= 3000).ToArray();
            // Each try also takes a TLS connect and a CONNACK, so the window can hold one or two fewer.
            Assert.InRange(attempts.Length, expected - 2, expected);
            Assert.InRange(expected, 3, 12);

            string[] lines = rig.Device.Monitor.Lines.ToArray();
            Assert.Single(lines, l => l.Contains("credentials"));
            Assert.Contains(lines, l => l.Contains("still failing the same way"));
            LoopSurvives(rig);
        });
    }

    [Fact]
    public void Unknown_CA_is_reported_as_a_certificate_problem()
    {
        using var rig = new Rig(nameof(Unknown_CA_is_reported_as_a_certificate_problem),
            settings: s => s["CaCertificate"] = TestPki.Instance.OtherCaPem);
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.Device.WaitForLine("certificate was not accepted");
            Assert.Contains(rig.Device.Monitor.Lines, l => l.Contains("certificate was not accepted") && l.Contains("other-ca.pem"));
            Assert.Equal(0, rig.Broker.CountLog("New client connected"));
            LoopSurvives(rig);
        });
    }

    [Fact]
    public void Certificate_not_made_for_the_broker_host_name_is_refused()
    {
        using var rig = new Rig(nameof(Certificate_not_made_for_the_broker_host_name_is_refused),
            broker: new BrokerOptions { Certificate = TestPki.Instance.WrongNameServer });
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.Device.WaitForLine("certificate was not accepted");
            Assert.Contains(rig.Device.Monitor.Lines, l => l.Contains("certificate was not accepted") && l.Contains("name mismatch"));
            Assert.Equal(0, rig.Broker.CountLog("New client connected"));
            LoopSurvives(rig);
        });
    }

    [Fact]
    public void TLS_to_a_plain_MQTT_listener_is_reported_as_a_TLS_problem()
    {
        using var rig = new Rig(nameof(TLS_to_a_plain_MQTT_listener_is_reported_as_a_TLS_problem), broker: new BrokerOptions { Tls = false });
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.Device.WaitForLine("TLS handshake with localhost:" + rig.Broker.Port + " failed");
            Assert.Equal(0, rig.Broker.CountLog("New client connected"));
            LoopSurvives(rig);
        });
    }

    [Fact]
    public void Plain_TCP_server_on_the_TLS_port_is_reported_as_timed_out()
    {
        using var silent = new SilentServer();
        using var rig = new Rig(nameof(Plain_TCP_server_on_the_TLS_port_is_reported_as_timed_out), devicePort: silent.Port, connectTimeoutMs: 1000);
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.Device.WaitForLine("timed out");
            Assert.Contains(rig.Device.Monitor.Lines, l => l.Contains("timed out") && l.Contains("TLS"));
            LoopSurvives(rig);
        });
    }
}
