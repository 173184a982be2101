using IotyDevice.Core;

namespace Firmware.Tests.Fakes;

/// <summary>Records every switch of the status LED with the fake clock's time.</summary>
public sealed class FakeLight : IStatusLight
{
    private readonly FakeClock _clock;

    public FakeLight(FakeClock clock) => _clock = clock;

    public List<(long AtMs, int Pin, bool On)> Switches { get; } = new();

    public void Set(int pin, bool on) => Switches.Add((_clock.NowMs, pin, on));

    public bool IsOn => Switches.Count > 0 && Switches[^1].On;
}
