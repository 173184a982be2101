namespace Firmware.Tests.Rules;

/// <summary>The repository this test assembly was built from, and the firmware's sources in it.</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "IotyDevice.sln"))) return dir.FullName;
        throw new InvalidOperationException("no IotyDevice.sln above " + AppContext.BaseDirectory);
    });

    public static string Root => root.Value;

    public static string Firmware => Path.Combine(Root, "Firmware");

    /// <summary>Every .cs under Firmware/ on disk, without build output (bin, obj), restored packages or hidden folders.</summary>
    public static List<string> FirmwareSources() =>
        Directory.EnumerateFiles(Firmware, "*.cs", SearchOption.AllDirectories)
            .Where(p => !Path.GetRelativePath(Firmware, p).Split(Path.DirectorySeparatorChar)[..^1]
                .Any(d => d is "bin" or "obj" or "packages" || d.StartsWith('.')))
            .Order(StringComparer.Ordinal).ToList();

    /// <summary>Path relative to the repository root, with forward slashes (for messages).</summary>
    public static string Relative(string fullPath) => Path.GetRelativePath(Root, fullPath).Replace('\\', '/');

    public static string Read(string relative) => File.ReadAllText(Path.Combine(Root, relative));
}
