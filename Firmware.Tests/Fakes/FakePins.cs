using IotyDevice.Core;

namespace Firmware.Tests.Fakes;

/// <summary>Records every level the lesson writes.</summary>
public sealed class FakePins : IOutputPins
{
    public List<(int Pin, bool High)> Writes { get; } = new();

    public void Write(int pin, bool high) => Writes.Add((pin, high));
}
