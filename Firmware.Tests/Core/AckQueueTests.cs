using IotyDevice.Core;

namespace Firmware.Tests.Core;

/// <summary>The acks handed from the library's threads to the loop: bounded, oldest dropped first, order kept.</summary>
public class AckQueueTests
{
    private static List<(int Connection, int MessageId, int Code)> TakeAll(AckQueue acks)
    {
        var taken = new List<(int, int, int)>();
        while (acks.TryTake(out int connection, out int messageId, out int code))
        {
            taken.Add((connection, messageId, code));
        }

        return taken;
    }

    [Fact]
    public void When_the_loop_falls_behind_the_oldest_acks_go_and_the_rest_come_out_in_order()
    {
        var acks = new AckQueue(3);
        for (int id = 1; id <= 5; id++)
        {
            acks.Put(7, id, id * 10);
        }

        Assert.Equal(new[] { (7, 3, 30), (7, 4, 40), (7, 5, 50) }, TakeAll(acks));
    }

    [Fact]
    public void After_a_drop_the_queue_keeps_working_round_its_slots()
    {
        var acks = new AckQueue(2);
        acks.Put(1, 1, 1);
        acks.Put(1, 2, 1);
        acks.Put(1, 3, 1); // drops id 1; the oldest is now in the middle of the slots
        Assert.Equal(new[] { (1, 2, 1), (1, 3, 1) }, TakeAll(acks));

        for (int round = 0; round < 3; round++)
        {
            acks.Put(2, 10 + round, 0);
            acks.Put(2, 20 + round, 1);
            Assert.Equal(new[] { (2, 10 + round, 0), (2, 20 + round, 1) }, TakeAll(acks));
        }
    }
}
