using IotyDevice.Core;

namespace Firmware.Tests.Core;

public class BackoffTests
{
    [Fact]
    public void Delays_double_from_the_base_within_the_jitter_band()
    {
        var backoff = new Backoff(1000, 60_000, new Random(3));
        int ceiling = 1000;
        for (int i = 0; i < 6; i++)
        {
            Assert.InRange(backoff.NextDelayMs(), ceiling / 10, ceiling);
            ceiling *= 2;
        }
    }

    [Fact]
    public void Delays_never_exceed_the_cap()
    {
        var backoff = new Backoff(1000, 60_000, new Random(3));
        for (int i = 0; i < 100; i++)
        {
            Assert.InRange(backoff.NextDelayMs(), 0, 60_000);
        }

        Assert.InRange(backoff.NextDelayMs(), 6_000, 60_000);
    }

    /// <summary>Always draws the top (or the bottom) of the range asked for.</summary>
    private sealed class Extreme(bool top) : Random
    {
        public override int Next(int maxValue) => top ? maxValue - 1 : 0;
    }

    [Fact]
    public void The_jitter_reaches_both_ends_of_its_window()
    {
        var highest = new Backoff(1000, 3000, new Extreme(top: true));
        Assert.Equal(new[] { 1000, 2000, 3000, 3000 }, Enumerable.Range(0, 4).Select(_ => highest.NextDelayMs()));

        var lowest = new Backoff(1000, 3000, new Extreme(top: false));
        Assert.Equal(new[] { 100, 200, 300, 300 }, Enumerable.Range(0, 4).Select(_ => lowest.NextDelayMs()));
    }

    [Fact]
    public void Reset_starts_again_from_the_base()
    {
        var backoff = new Backoff(1000, 60_000, new Random(3));
        for (int i = 0; i < 10; i++)
        {
            backoff.NextDelayMs();
        }

        backoff.Reset();
        Assert.InRange(backoff.NextDelayMs(), 100, 1000);
    }

    [Fact]
    public void Jitter_spreads_boards_that_failed_together()
    {
        var delays = Enumerable.Range(0, 20).Select(seed => new Backoff(1000, 60_000, new Random(seed)))
            .Select(b => { for (int i = 0; i < 4; i++) { b.NextDelayMs(); } return b.NextDelayMs(); })
            .Distinct().Count();
        Assert.True(delays > 10, $"only {delays} distinct delays among 20 boards");
    }

    [Fact]
    public void First_retries_of_a_classroom_spread_over_the_whole_window_so_no_100ms_slot_holds_a_crowd()
    {
        // 100 boards that lost the broker at the same instant: their first retries, in 100 ms slots.
        int[] slots = new int[11];
        for (int seed = 0; seed < 100; seed++)
        {
            slots[new Backoff(1000, 60_000, new Random(seed)).NextDelayMs() / 100]++;
        }

        Assert.True(slots.Count(n => n > 0) >= 9, "first retries used only " + slots.Count(n => n > 0) + " of the 100 ms slots");
        Assert.True(slots.Max() <= 20, "one 100 ms slot holds " + slots.Max() + " of 100 first retries");
        Assert.True(slots[0] == 0, "a first retry came within 100 ms: " + slots[0]);
    }

    [Fact]
    public void A_ceiling_that_reaches_the_cap_exactly_is_not_doubled_past_it_even_near_the_int_limit()
    {
        const int huge = 1 << 30; // doubling it once more overflows int
        var backoff = new Backoff(huge, huge, new Extreme(top: true));
        Assert.Equal(new[] { huge, huge, huge }, Enumerable.Range(0, 3).Select(_ => backoff.NextDelayMs()));
    }
}
