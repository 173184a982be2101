using System.Text;
using Broker.Tests.Infrastructure;
using Xunit;

namespace Broker.Tests.Scenarios;

/// <summary>Runs alone: it measures the process's managed memory, which parallel tests would disturb.</summary>
[CollectionDefinition(nameof(MeasuredAlone), DisableParallelization = true)]
public sealed class MeasuredAlone
{
}

/// <summary>Scenario 6: a runaway App Builder flow floods topic1.</summary>
[Collection(nameof(MeasuredAlone))]
public sealed class FloodTests
{
    private readonly Xunit.Abstractions.ITestOutputHelper _output;

    public FloodTests(Xunit.Abstractions.ITestOutputHelper output) => _output = output;

    [Fact]
    public void Flood_of_10000_messages_keeps_the_inbox_bounded_counts_drops_and_BOOT_still_publishes()
    {
        const int total = 10_000;
        using var rig = new Rig(nameof(Flood_of_10000_messages_keeps_the_inbox_bounded_counts_drops_and_BOOT_still_publishes),
            broker: new BrokerOptions { LogTypes = new[] { "error", "warning", "notice", "information", "subscribe" } });
        AppPeer app = rig.Peer(subscribeTo: "topic2");
        int capacity = rig.Device.Options.InboxCapacity;
        int maxInbox = 0;
        rig.Device.Monitor.MessageLineDelay = TimeSpan.FromMilliseconds(1); // printing is slow, as over serial
        int handledAtPress = -1; // messages printed or dropped when the hello went out
        rig.Device.Monitor.OnLine = line =>
        {
            maxInbox = Math.Max(maxInbox, rig.Device.Device.InboxCount);
            if (line.StartsWith("BOOT: sent hello"))
                handledAtPress = rig.Device.Monitor.Count("Received on topic1: ") + rig.Device.Device.DroppedMessages;
        };
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.WaitForSubscriptions(1);
            byte[] payload = Encoding.ASCII.GetBytes(new string('x', 1000)); // 10 MB in all: a leak would show
            long before = ManagedBytes();

            // Half the flood is queued, BOOT is pressed (and held past the debounce) while it pours in, then the
            // other half follows: the press is handled mid-flood by construction, not by luck of timing.
            Task firstHalf = Task.WhenAll(Enumerable.Range(0, total / 2).Select(_ => app.PublishFast("topic1", payload)));
            rig.Device.PressBoot();
            Task secondHalf = Task.WhenAll(Enumerable.Range(0, total - total / 2).Select(_ => app.PublishFast("topic1", payload)));
            Task flood = Task.WhenAll(firstHalf, secondHalf);
            Assert.True(flood.Wait(TimeSpan.FromSeconds(30)), "the flood did not finish: " + flood.Status);
            long during = ManagedBytes();

            // A QoS 1 marker after the flood: once it is printed, every flood message has been printed or dropped.
            // Mosquitto drops even a QoS 1 message for a client whose queue is full (max_queued_messages), so on a
            // loaded machine the first marker can be dropped at the broker: publish it again until one arrives.
            var markerDeadline = DateTime.UtcNow.AddSeconds(30);
            int markers = 0;
            while (rig.Device.Monitor.Count("Received on topic1: end of flood") == 0 && DateTime.UtcNow < markerDeadline)
            {
                app.Publish("topic1", "end of flood " + ++markers);
                rig.Device.Monitor.Changed.WaitUntil(() => rig.Device.Monitor.Count("Received on topic1: end of flood") > 0, TimeSpan.FromSeconds(5));
            }
            rig.Device.WaitForLine("Received on topic1: end of flood", timeoutSeconds: 1);
            rig.WaitUntil(app.Changed, () => app.TextsOn("topic2").Contains("hello"), 15, "the hello sent during the flood");
            Func<int> printed = () => rig.Device.Monitor.Count("Received on topic1: xxx");

            // The drop count is reported at most once a second, so the last report comes after the flood.
            int dropped = rig.Device.Device.DroppedMessages;
            rig.Device.WaitForLine("Inbox: " + dropped + " messages dropped so far", timeoutSeconds: 5);
            long after = ManagedBytes();
            _output.WriteLine($"printed {printed()}, dropped {dropped}, never reached the device {total - printed() - dropped}, handled when BOOT was sent {handledAtPress}, max inbox {maxInbox}/{capacity}, managed bytes before {before}, during {during} (+{during - before}), after {after} (+{after - before})");

            // Mosquitto may itself drop QoS 0 messages it cannot queue for a slow client; the device never sees those.
            Assert.InRange(printed() + dropped, total / 2, total);
            Assert.InRange(handledAtPress, 1, total / 2); // the press was handled while the flood was coming in
            Assert.True(rig.Device.Device.DroppedMessages > 0, "a flood at full speed should overflow a " + capacity + "-slot inbox");
            Assert.InRange(maxInbox, 1, capacity);
            Assert.True(during - before < 8_000_000, "managed memory grew by " + (during - before) + " bytes during the flood");
            Assert.True(after - before < 4_000_000, "managed memory grew by " + (after - before) + " bytes after the flood");
            Assert.True(rig.Device.IsAlive);
        });
    }

    [Fact]
    public void A_qos1_flood_keeps_the_inbox_within_its_bytes_never_holds_the_library_and_counts_the_qos1_drops()
    {
        const int total = 3_000;
        using var rig = new Rig(nameof(A_qos1_flood_keeps_the_inbox_within_its_bytes_never_holds_the_library_and_counts_the_qos1_drops));
        AppPeer app = rig.Peer();
        int maxInbox = 0, maxBytes = 0;
        rig.Device.Monitor.MessageLineDelay = TimeSpan.FromMilliseconds(1); // printing is slow, as over serial
        rig.Device.Monitor.OnLine = _ =>
        {
            maxInbox = Math.Max(maxInbox, rig.Device.Device.InboxCount);
            maxBytes = Math.Max(maxBytes, rig.Device.Device.InboxBytes);
        };
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.WaitForSubscriptions(1);
            byte[] payload = Encoding.ASCII.GetBytes(new string('y', 1000)); // 3 MB in all: a backlog would show
            long before = ManagedBytes();

            // On the board M2Mqtt has sent each PUBACK before the core sees the message: a put that waited for room
            // would only grow the library's unbounded queue. So the inbox makes room at once and counts the loss.
            Task flood = Task.WhenAll(Enumerable.Range(0, total).Select(_ => app.PublishAsync("topic1", payload, 1)));
            Assert.True(flood.Wait(TimeSpan.FromSeconds(60)), "the flood did not finish: " + flood.Status);
            long during = ManagedBytes();
            app.Publish("topic1", "end of flood", qos: 1);
            rig.Device.WaitForLine("Received on topic1: end of flood", timeoutSeconds: 30);

            int printed = rig.Device.Monitor.Count("Received on topic1: yyy");
            int dropped = rig.Device.Device.DroppedMessages;
            rig.Device.WaitForLine("Inbox: " + dropped + " messages dropped so far (" + dropped + " of them QoS 1;", timeoutSeconds: 5);
            _output.WriteLine($"printed {printed}, dropped {dropped}, max inbox {maxInbox}/{rig.Device.Options.InboxCapacity} messages, {maxBytes}/{rig.Device.Options.InboxMaxBytes} bytes, managed bytes before {before}, during {during} (+{during - before})");

            Assert.True(dropped > 0, "a QoS 1 flood at full speed should overflow the inbox");
            Assert.InRange(printed + dropped, total / 2, total); // Mosquitto may drop some for a client whose queue is full
            Assert.InRange(maxInbox, 1, rig.Device.Options.InboxCapacity);
            Assert.InRange(maxBytes, 1, rig.Device.Options.InboxMaxBytes);
            Assert.True(during - before < 4_000_000, "managed memory grew by " + (during - before) + " bytes during the flood");
            Assert.True(rig.Device.IsAlive);
        });
    }

    private static long ManagedBytes()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return GC.GetTotalMemory(forceFullCollection: true);
    }
}
