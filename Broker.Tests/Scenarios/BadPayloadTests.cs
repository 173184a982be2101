using Broker.Tests.Infrastructure;
using Xunit;

namespace Broker.Tests.Scenarios;

/// <summary>Scenario 7: whatever bytes arrive on topic1, the device prints one safe line and carries on.</summary>
public sealed class BadPayloadTests
{
    [Fact]
    public void Invalid_UTF8_empty_huge_and_binary_payloads_print_safely_and_the_loop_lives_on()
    {
        using var rig = new Rig(nameof(Invalid_UTF8_empty_huge_and_binary_payloads_print_safely_and_the_loop_lives_on));
        AppPeer app = rig.Peer();
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.WaitForSubscriptions(1);

            app.Publish("topic1", new byte[] { (byte)'o', (byte)'k', 0xC3, 0x28, 0xFF, 0xFE, 0xE2, 0x82 }); // bad UTF-8, cut sequence at the end
            app.Publish("topic1", Array.Empty<byte>());
            app.Publish("topic1", Enumerable.Repeat((byte)'A', 4000).ToArray()); // about the most the board takes
            app.Publish("topic1", Enumerable.Range(0, 256).Select(i => (byte)i).ToArray());
            app.Publish("topic1", "still alive");
            rig.Device.WaitForLine("Received on topic1: still alive");

            string[] lines = rig.Device.Monitor.Lines.Where(l => l.StartsWith("Received on topic1: ")).ToArray();
            Assert.Equal(5, lines.Length);
            Assert.StartsWith("Received on topic1: ok", lines[0]);
            Assert.Contains('\uFFFD', lines[0]);
            Assert.Equal("Received on topic1: (empty)", lines[1]);
            Assert.EndsWith("(4000 bytes)", lines[2]);
            Assert.True(lines[2].Length < 400, "a 4000-byte payload must be cut, not printed whole");
            Assert.EndsWith("(256 bytes)", lines[3]);
            Assert.Equal("Received on topic1: still alive", lines[4]);
            foreach (string line in lines)
                Assert.DoesNotContain(line, c => c < 0x20 || c == 0x7F); // no control characters reach the terminal
            Assert.True(rig.Device.IsAlive);
        });
    }

    [Fact]
    public void A_200_KB_qos1_message_is_withheld_by_the_broker_and_the_device_stays_connected_and_prints_the_next()
    {
        using var rig = new Rig(nameof(A_200_KB_qos1_message_is_withheld_by_the_broker_and_the_device_stays_connected_and_prints_the_next));
        AppPeer app = rig.Peer();
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.WaitForSubscriptions(1);

            // On the board M2Mqtt would allocate ~400 KB for it; the CONNECT's MQTT 5 Maximum Packet Size makes
            // Mosquitto withhold it from the device (and drop it for that client) instead.
            app.Publish("topic1", Enumerable.Repeat((byte)'A', 200 * 1024).ToArray(), qos: 1);
            app.Publish("topic1", "next", qos: 1);
            rig.Device.WaitForLine("Received on topic1: next");

            string[] lines = rig.Device.Monitor.Lines.ToArray();
            Assert.DoesNotContain(lines, l => l.Contains("(204800 bytes)"));
            Assert.DoesNotContain(lines, l => l.StartsWith("MQTT: a message of")); // never reached the device at all
            Assert.Single(lines, l => l.StartsWith("MQTT: connected"));
            Assert.True(rig.Device.Transport.IsConnected);

            app.Publish("topic1", "and the next", qos: 1);
            rig.Device.WaitForLine("Received on topic1: and the next");
            Assert.True(rig.Device.IsAlive);
        });
    }
}
