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
    public void A_qos1_message_into_a_full_inbox_never_waits_it_pushes_out_the_oldest_and_counts_it_as_a_qos1_drop()
    {
        var inbox = new Inbox(2, 10_000);
        inbox.Put("topic1", new byte[] { 1 }, true);
        inbox.Put("topic1", new byte[] { 2 }, true);
        var putter = new Thread(() => inbox.Put("topic1", new byte[] { 3 }, true));
        putter.Start();
        // On the board the PUBACK has gone out already: a waiting put would only hold M2Mqtt's dispatch thread.
        Assert.True(putter.Join(2_000), "a QoS 1 put into a full inbox must not wait");

        var kept = new List<byte>();
        while (inbox.TryTake(out _, out var payload))
        {
            kept.Add(payload[0]);
        }

        Assert.Equal(new byte[] { 2, 3 }, kept);
        Assert.Equal((1, 1), (inbox.Dropped, inbox.DroppedKept));
    }

    [Fact]
    public void A_qos1_flood_with_nobody_taking_stays_within_both_bounds_and_counts_every_drop()
    {
        var inbox = new Inbox(16, 4096);
        const int total = 10_000;
        for (int i = 0; i < total; i++)
        {
            inbox.Put("topic1", new byte[1000], true);
            Assert.InRange(inbox.Bytes, 0, 4096);
        }

        Assert.Equal(4, inbox.Count); // 4 × (1000 + 6) bytes fit in 4096
        Assert.Equal(total - 4, inbox.Dropped);
        Assert.Equal(total - 4, inbox.DroppedKept);
        Assert.Contains("9996 messages dropped so far (9996 of them QoS 1;", inbox.DropLine());
        Assert.Contains("at most 16 messages or 4096 bytes", inbox.DropLine());
    }

    [Fact]
    public void Qos0_messages_make_room_by_bytes_before_any_qos1_message_goes()
    {
        var inbox = new Inbox(16, 100);
        inbox.Put("t", new byte[40], false);
        inbox.Put("t", new byte[40], true);
        inbox.Put("t", new byte[40], true); // 3 × 41 > 100: the QoS 0 one goes
        Assert.Equal((2, 1, 0), (inbox.Count, inbox.Dropped, inbox.DroppedKept));
        Assert.True(inbox.TryTake(out _, out _));
        Assert.True(inbox.TryTake(out _, out _));
        Assert.Equal(0, inbox.Bytes);
    }

    [Fact]
    public void An_empty_inbox_takes_one_message_bigger_than_its_byte_bound()
    {
        var inbox = new Inbox(16, 100);
        inbox.Put("t", new byte[1000], true);
        Assert.True(inbox.TryTake(out _, out var payload));
        Assert.Equal(1000, payload.Length);
        Assert.Equal(0, inbox.Dropped);
    }

    [Fact]
    public void A_message_over_the_board_packet_limit_is_dropped_and_said_once()
    {
        var inbox = new Inbox(16, 4096);
        inbox.Put("topic1", new byte[MqttLimits.MaxPacketBytes + 1], true);
        Assert.False(inbox.TryTake(out _, out _));
        Assert.Equal(0, inbox.Dropped); // it did not come too fast: its own line says what happened
        string line = inbox.TakeOversizedLine();
        Assert.StartsWith("MQTT: a message of " + (MqttLimits.MaxPacketBytes + 7) + " bytes on topic1 was dropped", line);
        Assert.Contains("Maximum Packet Size", line);
        Assert.Null(inbox.TakeOversizedLine());
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

    [Fact]
    public void Bytes_counts_the_topic_and_payload_of_what_waits_and_a_missing_one_counts_nothing()
    {
        var inbox = new Inbox(4, 100);
        inbox.Put("t1", new byte[3], false);
        Assert.Equal(5, inbox.Bytes);
        inbox.Put("t", null, false); // an empty message, as a library may hand it over
        inbox.Put(null, new byte[2], true); // never throws, whatever the library hands over
        Assert.Equal(8, inbox.Bytes);

        Assert.True(inbox.TryTake(out _, out _));
        Assert.Equal(3, inbox.Bytes);
        Assert.True(inbox.TryTake(out string topic, out byte[] payload));
        Assert.Equal(("t", null), (topic, payload));
        Assert.Equal(2, inbox.Bytes);
    }

    [Fact]
    public void A_message_exactly_at_the_packet_limit_is_kept()
    {
        var inbox = new Inbox(16, 4096);
        inbox.Put("t", new byte[MqttLimits.MaxPacketBytes - 1], true);
        Assert.True(inbox.TryTake(out _, out var payload));
        Assert.Equal(MqttLimits.MaxPacketBytes - 1, payload.Length);
        Assert.Null(inbox.TakeOversizedLine());
    }

    [Fact]
    public void Messages_that_fill_the_byte_bound_exactly_are_all_kept()
    {
        var inbox = new Inbox(16, 100);
        inbox.Put("t", new byte[49], false);
        inbox.Put("t", new byte[49], false);
        Assert.Equal((2, 100, 0), (inbox.Count, inbox.Bytes, inbox.Dropped));
    }

    [Fact]
    public void A_qos0_arrival_meeting_only_qos1_messages_is_itself_dropped_and_not_counted_as_qos1()
    {
        var inbox = new Inbox(2, 1000);
        inbox.Put("t", new byte[] { 1 }, true);
        inbox.Put("t", new byte[] { 2 }, true);
        inbox.Put("t", new byte[] { 3 }, false);
        Assert.Equal((2, 1, 0), (inbox.Count, inbox.Dropped, inbox.DroppedKept));
        Assert.True(inbox.TryTake(out _, out var first));
        Assert.True(inbox.TryTake(out _, out var second));
        Assert.Equal((1, 2), (first[0], second[0]));
    }

    [Fact]
    public void Two_oversized_messages_between_two_looks_give_one_line_about_the_latest()
    {
        var inbox = new Inbox(16, 4096);
        inbox.Put("a", new byte[5000], true);
        inbox.Put("b", new byte[6000], false);
        Assert.StartsWith("MQTT: a message of 6001 bytes on b was dropped", inbox.TakeOversizedLine());
        Assert.Null(inbox.TakeOversizedLine());
    }
}
