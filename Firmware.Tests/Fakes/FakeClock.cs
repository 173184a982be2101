using IotyDevice.Core;

namespace Firmware.Tests.Fakes;

/// <summary>Time the test moves by hand.</summary>
public sealed class FakeClock : IClock
{
    public long NowMs { get; set; } = 1_000;

    public DateTime UtcNow { get; set; } = new DateTime(2026, 11, 25, 12, 0, 0, DateTimeKind.Utc);

    public void Advance(long ms)
    {
        NowMs += ms;
        UtcNow = UtcNow.AddMilliseconds(ms);
    }
}
