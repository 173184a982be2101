using IotyDevice.Core;

namespace Firmware.Tests.Core;

public class InboxTests
{
    [Fact]
    public void Messages_come_out_in_the_order_they_arrived()
    {
        var inbox = new Inbox(4, 1000);
        inbox.Put("topic1", new byte[] { 1 }, false);
        inbox.Put("topic1", new byte[] { 2 }, false);
        Assert.True(inbox.TryTake(out _, out var first));
        Assert.True(inbox.TryTake(out _, out var second));
        Assert.Equal(1, first[0]);
        Assert.Equal(2, second[0]);
        Assert.False(inbox.TryTake(out _, out _));
    }

    [Fact]
    public void When_full_a_qos0_message_pushes_out_the_oldest_and_the_drop_is_counted()
    {
        var inbox = new Inbox(3, 1000);
        for (byte i = 1; i <= 5; i++)
        {
            inbox.Put("topic1", new[] { i }, false);
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
        var inbox = new Inbox(16, 1000);
        const int perThread = 20_000;
        int taken = 0;
        var producers = Enumerable.Range(0, 2).Select(_ => new Thread(() =>
        {
            for (int i = 0; i < perThread; i++)
            {
                inbox.Put("t", Array.Empty<byte>(), false);
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

    [Fact]
    public void When_full_a_qos1_message_waits_for_room_instead_of_dropping()
    {
        var inbox = new Inbox(2, 10_000);
        inbox.Put("topic1", new byte[] { 1 }, true);
        inbox.Put("topic1", new byte[] { 2 }, true);
        var putter = new Thread(() => inbox.Put("topic1", new byte[] { 3 }, true));
        putter.Start();
        Assert.False(putter.Join(200), "a QoS 1 put into a full inbox must wait");
        Assert.True(inbox.TryTake(out _, out var first));
        Assert.True(putter.Join(5_000), "taking a message must let the waiting put in");

        var rest = new List<byte> { first[0] };
        while (inbox.TryTake(out _, out var payload))
        {
            rest.Add(payload[0]);
        }

        Assert.Equal(new byte[] { 1, 2, 3 }, rest);
        Assert.Equal(0, inbox.Dropped);
    }

    [Fact]
    public void A_qos1_put_gives_up_waiting_after_the_keep_wait_and_counts_the_drop()
    {
        var inbox = new Inbox(1, 100);
        inbox.Put("topic1", new byte[] { 1 }, true);
        var putter = new Thread(() => inbox.Put("topic1", new byte[] { 2 }, true));
        putter.Start();
        Assert.True(putter.Join(5_000), "the put must not wait forever");
        Assert.Equal(1, inbox.Dropped);
        Assert.True(inbox.TryTake(out _, out var kept));
        Assert.Equal(2, kept[0]);
    }

    [Fact]
    public void A_qos1_flood_through_a_slow_taker_loses_nothing()
    {
        var inbox = new Inbox(4, 10_000);
        const int total = 500;
        var producer = new Thread(() =>
        {
            for (int i = 0; i < total; i++)
            {
                inbox.Put("topic1", BitConverter.GetBytes(i), true);
            }
        });
        producer.Start();
        var seen = new List<int>();
        var deadline = DateTime.UtcNow.AddSeconds(30); // a dropped message must fail the test, not hang it
        while (seen.Count < total && DateTime.UtcNow < deadline)
        {
            Assert.InRange(inbox.Count, 0, 4);
            if (inbox.TryTake(out _, out var payload))
            {
                seen.Add(BitConverter.ToInt32(payload));
            }
        }

        Assert.True(producer.Join(5_000));
        Assert.Equal(Enumerable.Range(0, total), seen);
        Assert.Equal(0, inbox.Dropped);
    }

    [Fact]
    public void A_qos0_flood_never_pushes_out_a_waiting_qos1_message()
    {
        var inbox = new Inbox(4, 10_000);
        inbox.Put("topic1", new byte[] { 0 }, false);
        inbox.Put("topic1", new byte[] { 1 }, true);
        for (byte i = 10; i < 50; i++)
        {
            inbox.Put("topic1", new[] { i }, false);
        }

        var kept = new List<byte>();
        while (inbox.TryTake(out _, out var payload))
        {
            kept.Add(payload[0]);
        }

        Assert.Equal(new byte[] { 1, 47, 48, 49 }, kept);
        Assert.Equal(38, inbox.Dropped);
    }

    [Fact]
    public void A_qos0_message_into_an_inbox_full_of_qos1_messages_is_the_one_dropped()
    {
        var inbox = new Inbox(2, 10_000);
        inbox.Put("topic1", new byte[] { 1 }, true);
        inbox.Put("topic1", new byte[] { 2 }, true);
        inbox.Put("topic1", new byte[] { 3 }, false);
        Assert.Equal(1, inbox.Dropped);
        Assert.True(inbox.TryTake(out _, out var first));
        Assert.True(inbox.TryTake(out _, out var second));
        Assert.Equal(new byte[] { 1, 2 }, new[] { first[0], second[0] });
    }

    [Fact]
    public void Removing_from_the_middle_keeps_the_order_across_the_ring_wrap()
    {
        var inbox = new Inbox(3, 10_000);
        inbox.Put("t", new byte[] { 1 }, false);
        inbox.TryTake(out _, out _);
        inbox.Put("t", new byte[] { 2 }, true);  // the ring now wraps: head is slot 1
        inbox.Put("t", new byte[] { 3 }, false);
        inbox.Put("t", new byte[] { 4 }, true);
        inbox.Put("t", new byte[] { 5 }, false); // pushes out 3, the oldest QoS 0
        var kept = new List<byte>();
        while (inbox.TryTake(out _, out var payload))
        {
            kept.Add(payload[0]);
        }

        Assert.Equal(new byte[] { 2, 4, 5 }, kept);
    }
}
