using IotyDevice.Core;

namespace Firmware.Tests.Fakes;

public sealed class FakeButton : IButtonInput
{
    public bool IsDown { get; set; }
}
