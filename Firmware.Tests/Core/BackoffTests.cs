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
            Assert.InRange(backoff.NextDelayMs(), ceiling / 2, ceiling);
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

        Assert.InRange(backoff.NextDelayMs(), 30_000, 60_000);
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
        Assert.Equal(0, backoff.Attempt);
        Assert.InRange(backoff.NextDelayMs(), 500, 1000);
    }

    [Fact]
    public void Jitter_spreads_boards_that_failed_together()
    {
        var delays = Enumerable.Range(0, 20).Select(seed => new Backoff(1000, 60_000, new Random(seed)))
            .Select(b => { for (int i = 0; i < 4; i++) { b.NextDelayMs(); } return b.NextDelayMs(); })
            .Distinct().Count();
        Assert.True(delays > 10, $"only {delays} distinct delays among 20 boards");
    }
}
