using IotyDevice.Core;

namespace Firmware.Tests.Core;

/// <summary>The loop's wait handle: a Set is kept until one Wait takes it; nothing here sleeps (Wait(0) returns at once).</summary>
public class WakeupTests
{
    [Fact]
    public void A_new_wakeup_has_nothing_to_wake_for()
    {
        Assert.False(new Wakeup().Wait(0));
    }

    [Fact]
    public void A_set_before_the_wait_wakes_it_at_once_and_only_once()
    {
        var wakeup = new Wakeup();
        wakeup.Set();
        Assert.True(wakeup.Wait(10_000));
        Assert.False(wakeup.Wait(0));
    }
}
