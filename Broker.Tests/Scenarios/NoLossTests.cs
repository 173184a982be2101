using Broker.Tests.Infrastructure;
using Xunit;

namespace Broker.Tests.Scenarios;

/// <summary>Scenario 5: QoS 1 switch changes made while the board was away come back; none is lost unsaid.</summary>
public sealed class NoLossTests
{
    [Fact]
    public void QoS1_messages_sent_while_the_device_is_away_come_back_in_order_and_what_the_board_cannot_hold_is_counted()
    {
        using var rig = new Rig(nameof(QoS1_messages_sent_while_the_device_is_away_come_back_in_order_and_what_the_board_cannot_hold_is_counted),
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
            // acknowledged as soon as it arrives and handed over at once: the library's thread never waits for the
            // loop (on the board that would only grow M2Mqtt's unbounded queue), so the oldest that do not fit go,
            // and the monitor counts them.
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
            int[] numbers = printed.Select(l => int.Parse(l["Received on topic1: queued ".Length..])).ToArray();
            Assert.Equal(numbers.OrderBy(n => n), numbers);
            Assert.Equal(count, numbers.Length + rig.Device.Device.DroppedMessages);
            Assert.True(numbers.Length >= 16, "at least a full inbox of them is printed");
            if (rig.Device.Device.DroppedMessages > 0)
                Assert.Contains(rig.Device.Monitor.Lines, l => l.StartsWith("Inbox: " + rig.Device.Device.DroppedMessages + " messages dropped so far ("
                                                                           + rig.Device.Device.DroppedMessages + " of them QoS 1;"));
        });
    }
}
