using Broker.Tests.Infrastructure;
using Xunit;

namespace Broker.Tests.Scenarios;

/// <summary>Scenario 5: QoS 1 switch changes made while the board was away are not lost.</summary>
public sealed class NoLossTests
{
    [Fact]
    public void QoS1_messages_sent_while_the_device_is_away_are_all_printed_after_it_returns()
    {
        using var rig = new Rig(nameof(QoS1_messages_sent_while_the_device_is_away_are_all_printed_after_it_returns),
            broker: new BrokerOptions { Persistence = true });
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.WaitForSubscriptions(1);

            // The WiFi goes: the device closes its (persistent, clean-session-off) MQTT session, without a
            // DISCONNECT, as M2Mqtt's Close() does on the board.
            rig.Device.Network.Drop();
            rig.WaitUntil(rig.Broker.Changed, () => rig.Broker.CountLog("Client " + rig.ClientId + " closed its connection") >= 1, 10, "the device to leave the broker");

            // Many more than the inbox holds (16), printed at a serial port's pace. As on the board, each is
            // acknowledged as soon as it arrives and waits in the library's queue; a full inbox holds the library's
            // dispatch thread (QoS 1 waits for room), so none is dropped while the loop keeps printing.
            const int count = 100;
            rig.Device.Monitor.MessageLineDelay = TimeSpan.FromMilliseconds(2);
            using (AppPeer app = AppPeers.Connect(rig.Broker))
                for (int i = 1; i <= count; i++) app.Publish("topic1", "queued " + i, qos: 1);

            // The broker restarts meanwhile (a clean stop saves its persistence file), then the WiFi returns.
            rig.Broker.Stop();
            rig.Broker.Start();
            rig.Device.Network.Restore();

            rig.Device.WaitForLine("Received on topic1: queued " + count, timeoutSeconds: 20);
            rig.Device.WaitForLine("MQTT: connected (session resumed");
            string[] printed = rig.Device.Monitor.Lines.Where(l => l.StartsWith("Received on topic1: queued ")).ToArray();
            Assert.Equal(Enumerable.Range(1, count).Select(i => "Received on topic1: queued " + i), printed);
            Assert.Equal(0, rig.Device.Device.DroppedMessages);
        });
    }
}
