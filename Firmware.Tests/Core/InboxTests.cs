using IotyDevice.Core;

namespace Firmware.Tests.Core;

public class InboxTests
{
    [Fact]
    public void Messages_come_out_in_the_order_they_arrived()
    {
        var inbox = new Inbox(4);
        inbox.Put("topic1", new byte[] { 1 });
        inbox.Put("topic1", new byte[] { 2 });
        Assert.True(inbox.TryTake(out _, out var first));
        Assert.True(inbox.TryTake(out _, out var second));
        Assert.Equal(1, first[0]);
        Assert.Equal(2, second[0]);
        Assert.False(inbox.TryTake(out _, out _));
    }

    [Fact]
    public void When_full_the_oldest_message_is_dropped_and_counted()
    {
        var inbox = new Inbox(3);
        for (byte i = 1; i <= 5; i++)
        {
            inbox.Put("topic1", new[] { i });
        }

        Assert.Equal(3, inbox.Count);
        Assert.Equal(2, inbox.Dropped);
        var kept = new List<byte>();
        while (inbox.TryTake(out _, out var payload))
        {
            kept.Add(payload[0]);
        }

        Assert.Equal(new byte[] { 3, 4, 5 }, kept);
    }

    [Fact]
    public void Concurrent_producers_never_exceed_the_bound_and_every_message_is_taken_or_counted_dropped()
    {
        var inbox = new Inbox(16);
        const int perThread = 20_000;
        int taken = 0;
        var producers = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < perThread; i++)
            {
                inbox.Put("t", Array.Empty<byte>());
            }
        })).ToList();
        producers.ForEach(t => t.Start());
        while (producers.Any(t => t.IsAlive) || inbox.Count > 0)
        {
            Assert.InRange(inbox.Count, 0, 16);
            if (inbox.TryTake(out _, out _))
            {
                taken++;
            }
        }

        Assert.Equal(2 * perThread, taken + inbox.Dropped);
    }
}
