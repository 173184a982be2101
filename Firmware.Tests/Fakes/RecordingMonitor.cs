using IotyDevice.Core;

namespace Firmware.Tests.Fakes;

public sealed class RecordingMonitor : IMonitor
{
    public List<string> Lines { get; } = new();

    public void WriteLine(string line) => Lines.Add(line);

    public void WriteLine(char[] chars, int count) => Lines.Add(new string(chars, 0, count));

    public string Transcript => string.Join("\n", Lines);

    public int Count(string fragment) => Lines.Count(l => l.Contains(fragment));
}
