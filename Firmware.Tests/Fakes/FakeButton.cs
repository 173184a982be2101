using IotyDevice.Core;

namespace Firmware.Tests.Fakes;

/// <summary>The BOOT button as the GPIO adapter presents it: every level change is latched with the (fake) time
/// it happened, whether or not the loop is looking.</summary>
public sealed class FakeButton : IButtonInput
{
    private readonly FakeClock _clock;
    private readonly ButtonChanges _changes = new(32);
    private bool _isDown;

    public FakeButton(FakeClock clock) => _clock = clock;

    public bool IsDown
    {
        get => _isDown;
        set
        {
            if (value != _isDown)
            {
                _isDown = value;
                _changes.Record(value, _clock.NowMs);
            }
        }
    }

    public int TakeChanges(long[] atMs, bool[] down) => _changes.Take(atMs, down);
}
