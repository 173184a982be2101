using IotyDevice.Core;

namespace Firmware.Tests.Fakes;

public sealed class RecordingMonitor : IMonitor
{
    public List<string> Lines { get; } = new();

    /// <summary>Runs after each line, to act as a thread that delivers while the loop prints.</summary>
    public Action<string> OnLine { get; set; }

    public void WriteLine(string line)
    {
        Lines.Add(line);
        OnLine?.Invoke(line);
    }

    public void WriteLine(char[] chars, int count) => WriteLine(new string(chars, 0, count));

    public string Transcript => string.Join("\n", Lines);

    public int Count(string fragment) => Lines.Count(l => l.Contains(fragment));
}
