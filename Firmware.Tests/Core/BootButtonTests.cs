using IotyDevice.Core;

namespace Firmware.Tests.Core;

public class BootButtonTests
{
    private const int Debounce = 30;

    /// <summary>Feeds (level, duration) pairs sampled every millisecond; returns the presses seen.</summary>
    private static int Presses(BootButton button, ref long now, params (bool Down, int Ms)[] levels)
    {
        int presses = 0;
        foreach (var (down, ms) in levels)
        {
            for (int i = 0; i < ms; i++)
            {
                if (button.Sample(down, now))
                {
                    presses++;
                }

                now++;
            }
        }

        return presses;
    }

    [Fact]
    public void A_clean_press_counts_once()
    {
        long now = 0;
        var button = new BootButton(Debounce, false, now);
        Assert.Equal(1, Presses(button, ref now, (false, 50), (true, 100), (false, 100)));
    }

    [Fact]
    public void Bounce_of_a_few_milliseconds_never_double_presses()
    {
        long now = 0;
        var button = new BootButton(Debounce, false, now);
        int presses = Presses(button, ref now,
            (true, 2), (false, 1), (true, 3), (false, 2), (true, 80),  // press with bounce
            (false, 2), (true, 1), (false, 3), (true, 2), (false, 80)); // release with bounce
        Assert.Equal(1, presses);
    }

    [Fact]
    public void A_glitch_shorter_than_the_debounce_is_not_a_press()
    {
        long now = 0;
        var button = new BootButton(Debounce, false, now);
        Assert.Equal(0, Presses(button, ref now, (true, Debounce - 5), (false, 100)));
    }

    [Fact]
    public void Holding_does_not_repeat()
    {
        long now = 0;
        var button = new BootButton(Debounce, false, now);
        Assert.Equal(1, Presses(button, ref now, (true, 10_000)));
    }

    [Fact]
    public void A_press_held_through_reset_is_ignored_until_released()
    {
        long now = 0;
        var button = new BootButton(Debounce, true, now);
        Assert.Equal(0, Presses(button, ref now, (true, 5_000), (false, 100)));
        Assert.Equal(1, Presses(button, ref now, (true, 100), (false, 100)));
    }

    [Fact]
    public void Three_bouncy_presses_are_three_presses()
    {
        long now = 0;
        var button = new BootButton(Debounce, false, now);
        int presses = 0;
        for (int i = 0; i < 3; i++)
        {
            presses += Presses(button, ref now, (true, 1), (false, 1), (true, 60), (false, 1), (true, 1), (false, 60));
        }

        Assert.Equal(3, presses);
    }

    [Fact]
    public void It_says_when_an_unsettled_level_needs_another_look()
    {
        var button = new BootButton(Debounce, false, 0);
        Assert.Equal(-1, button.MsUntilSettled(0));
        button.Sample(true, 100);
        Assert.Equal(Debounce - 10, button.MsUntilSettled(110));
        Assert.True(button.Sample(true, 100 + Debounce));
        Assert.Equal(-1, button.MsUntilSettled(100 + Debounce));
    }

    [Fact]
    public void A_level_past_its_debounce_but_not_yet_looked_at_needs_a_look_now()
    {
        var button = new BootButton(Debounce, false, 0);
        button.Sample(true, 100);
        Assert.Equal(0, button.MsUntilSettled(100 + Debounce + 20));
    }
}

/// <summary>Presses the loop did not see happen: level changes latched by the adapter and replayed at their times.</summary>
public class LatchedPressTests
{
    private const int Debounce = 30;

    private static int Feed(BootButton button, long nowMs, params (long At, bool Down)[] changes) =>
        button.Feed(changes.Select(c => c.At).ToArray(), changes.Select(c => c.Down).ToArray(), changes.Length, nowMs);

    [Fact]
    public void A_press_made_and_released_while_the_loop_was_blind_counts_once()
    {
        var button = new BootButton(Debounce, false, 0);
        Assert.Equal(1, Feed(button, 3_000, (1_000, true), (1_200, false)));
        Assert.Equal(0, Feed(button, 3_100));
    }

    [Fact]
    public void A_bouncy_press_latched_while_blind_counts_once()
    {
        var button = new BootButton(Debounce, false, 0);
        Assert.Equal(1, Feed(button, 5_000,
            (1_000, true), (1_001, false), (1_003, true), (1_200, false), (1_201, true), (1_202, false)));
    }

    [Fact]
    public void A_glitch_latched_while_blind_is_not_a_press()
    {
        var button = new BootButton(Debounce, false, 0);
        Assert.Equal(0, Feed(button, 5_000, (1_000, true), (1_000 + Debounce - 5, false)));
    }

    [Fact]
    public void Two_presses_latched_while_blind_are_two_presses()
    {
        var button = new BootButton(Debounce, false, 0);
        Assert.Equal(2, Feed(button, 5_000, (1_000, true), (1_100, false), (2_000, true), (2_100, false)));
    }

    [Fact]
    public void A_press_still_held_when_the_loop_looks_again_counts_once_it_has_settled()
    {
        var button = new BootButton(Debounce, false, 0);
        Assert.Equal(0, Feed(button, 1_010, (1_000, true)));
        Assert.Equal(1, Feed(button, 1_000 + Debounce));
        Assert.Equal(0, Feed(button, 2_000, (1_500, false)));
    }

    [Fact]
    public void A_button_held_through_reset_and_released_while_blind_is_no_press()
    {
        var button = new BootButton(Debounce, true, 0);
        Assert.Equal(0, Feed(button, 5_000, (1_000, false)));
        Assert.Equal(1, Feed(button, 9_000, (6_000, true), (6_300, false)));
    }

    [Fact]
    public void A_change_stamped_before_what_was_already_fed_counts_from_then_not_from_its_stamp()
    {
        var button = new BootButton(Debounce, false, 1_000);
        Assert.Equal(0, Feed(button, 1_000 + Debounce - 10, (500, true))); // held since 1 000 at the earliest: not yet settled
        Assert.Equal(1, Feed(button, 1_000 + Debounce));
    }

    [Fact]
    public void Changes_are_taken_in_parts_when_the_arrays_are_shorter_than_what_is_latched()
    {
        var changes = new ButtonChanges(8);
        for (int i = 0; i < 4; i++)
        {
            changes.Record(i % 2 == 0, 100 * i);
        }

        var at = new long[2];
        var down = new bool[8];
        Assert.Equal(2, changes.Take(at, down));
        Assert.Equal(new long[] { 0, 100 }, at);
        Assert.Equal(2, changes.Take(new long[8], new bool[1]) + changes.Take(new long[8], new bool[1]));
        Assert.Equal(0, changes.Take(at, down));
    }

    [Fact]
    public void Changes_latched_beyond_the_ring_keep_the_newest()
    {
        var changes = new ButtonChanges(4);
        for (int i = 0; i < 6; i++)
        {
            changes.Record(i % 2 == 0, 100 * i);
        }

        var at = new long[8];
        var down = new bool[8];
        Assert.Equal(4, changes.Take(at, down));
        Assert.Equal(new long[] { 200, 300, 400, 500 }, at.Take(4));
        Assert.Equal(0, changes.Take(at, down));
    }
}
