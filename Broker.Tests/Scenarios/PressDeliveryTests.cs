using System.Diagnostics;
using Broker.Tests.Infrastructure;
using Xunit;
using Xunit.Abstractions;

namespace Broker.Tests.Scenarios;

/// <summary>Issue 8: a BOOT press is never lost, against the real Mosquitto over TLS: not when the network goes
/// silent right after it (no RST, no FIN: a WiFi loss the board has not noticed), not when it is made while the
/// device is blocked in a slow connect.</summary>
public sealed class PressDeliveryTests(ITestOutputHelper output)
{
    // The device notices a silent link by its keepalive: 10 s (the lowest the settings allow) plus the host
    // transport's ping timeout (its connect timeout, 2 s here).
    private const int KeepAliveSeconds = 10;
    private const int ConnectTimeoutMs = 2000;

    [Fact]
    public void Fifty_presses_with_random_silent_network_losses_all_reach_the_app()
    {
        using var rig = new Rig(nameof(Fifty_presses_with_random_silent_network_losses_all_reach_the_app), viaProxy: true,
            settings: s => s["KeepAliveSeconds"] = KeepAliveSeconds, connectTimeoutMs: ConnectTimeoutMs);
        rig.Run(() =>
        {
            AppPeer app = rig.Peer(subscribeTo: "topic2");
            rig.Device.Start();
            rig.Device.WaitForLine("MQTT: subscribed to topic1");

            const int presses = 50;
            const int seed = 8;
            var random = new Random(seed);
            // Two silent losses (each costs a keepalive to notice), each starting right after a press (at a random
            // moment around its PUBLISH: before it, between it and its PUBACK, or just after) and catching two more
            // presses in the silence.
            var cutAt = new HashSet<int>();
            while (cutAt.Count < 2) cutAt.Add(random.Next(1, presses - 3));
            var clock = Stopwatch.StartNew();
            int pressed = 0, arrived = 0, cuts = 0;
            while (pressed < presses)
            {
                int batch = 1;
                if (cutAt.Contains(pressed + 1))
                {
                    // The press settles DebounceMs after it goes down and is published at once; the silence
                    // starts a few ms around that, while the button is still held (a shorter hold is no press).
                    cuts++;
                    int debounce = rig.Device.Options.DebounceMs;
                    rig.Device.Button.Press();
                    Thread.Sleep(debounce - 2 + random.Next(0, 6));
                    rig.Proxy.GoSilent();
                    Thread.Sleep(debounce * 2);
                    rig.Device.Button.Release();
                    Thread.Sleep(debounce * 3);
                    for (; batch < 3; batch++) rig.Device.PressBoot(); // published into the silence
                    rig.Proxy.Heal(); // new connections get through; the silenced one stays dead
                }
                else
                {
                    rig.Device.PressBoot();
                }

                pressed += batch;
                int expected = pressed;
                Wait.Until(app.Changed, () => app.TextsOn("topic2").Length >= expected && rig.Device.Device.UnconfirmedPublishes == 0,
                    TimeSpan.FromSeconds(batch == 1 ? 10 : 30), "press " + pressed + ": every hello so far at the app and confirmed",
                    () => "app has " + app.TextsOn("topic2").Length + " hello(s), the device keeps " + rig.Device.Device.UnconfirmedPublishes
                        + " unconfirmed\n" + rig.Transcript());
                int now = app.TextsOn("topic2").Length;
                Assert.True(now - arrived >= batch, "press " + pressed + ": " + (now - arrived) + " hello(s) for " + batch + " press(es)");
                arrived = now;
            }

            int duplicates = app.TextsOn("topic2").Length - presses;
            int resent = rig.Device.Device.ResentPublishes;
            output.WriteLine($"{presses} presses, {cuts} silent losses (seed {seed}): {app.TextsOn("topic2").Length} hellos at the app, "
                + $"{duplicates} duplicate(s), {resent} publish(es) sent again, {clock.Elapsed.TotalSeconds:F1} s");
            Assert.Equal(2, cuts);
            Assert.InRange(duplicates, 0, resent);
            Assert.True(resent >= 2 * cuts, "the presses made into each silence must have been sent again: " + resent);
            Assert.Equal(cuts, rig.Device.Monitor.Count("MQTT: connection lost; reconnecting"));
            Assert.Contains(rig.Device.Monitor.Lines, l => l == "BOOT: hello not confirmed before the connection dropped; sending it again");
        });
    }

    [Fact]
    public void A_press_made_while_a_slow_connect_blocks_the_loop_is_sent_exactly_once()
    {
        using var rig = new Rig(nameof(A_press_made_while_a_slow_connect_blocks_the_loop_is_sent_exactly_once), viaProxy: true,
            connectTimeoutMs: 8000);
        rig.Run(() =>
        {
            AppPeer app = rig.Peer(subscribeTo: "topic2");
            rig.Proxy.ConnectDelayMs = 3000;
            var started = Stopwatch.StartNew();
            rig.Device.Start();
            rig.Device.WaitForLine("MQTT: connecting to");

            // The loop is inside Connect (the proxy holds the TLS handshake back): a whole press, down and up.
            rig.Device.PressBoot();
            Assert.Equal(0, rig.Device.Monitor.Count("MQTT: connected"));
            rig.Device.WaitForLine("MQTT: connected");
            Assert.True(started.ElapsedMilliseconds >= 3000, "the connect was not delayed");
            rig.WaitUntil(app.Changed, () => app.TextsOn("topic2").Length >= 1 && rig.Device.Device.UnconfirmedPublishes == 0, 10,
                "the hello of the press made during the connect");

            // Nothing more is on its way: a second hello would come in well under this.
            app.Publish("topic1", "marker");
            rig.Device.WaitForLine("Received on topic1: marker");
            Assert.Equal(new[] { "hello" }, app.TextsOn("topic2"));
            Assert.Equal(1, rig.Device.Monitor.Count("BOOT: sent hello to topic2"));
        });
    }
}
