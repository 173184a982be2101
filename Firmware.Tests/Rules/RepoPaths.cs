using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Firmware.Tests.Rules
{
    /// <summary>Finds the repository from the test's output folder and lists the firmware's sources.</summary>
    public static class RepoPaths
    {
        private static readonly Lazy<string> root = new Lazy<string>(FindRoot);

        /// <summary>The folder holding IotyDevice.sln or .git, walking up from the test assembly.</summary>
        public static string Root => root.Value;

        public static string Firmware => Path.Combine(Root, "Firmware");

        private static string FindRoot()
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null)
            {
                if (File.Exists(Path.Combine(dir.FullName, "IotyDevice.sln"))
                    || Directory.Exists(Path.Combine(dir.FullName, ".git"))
                    || File.Exists(Path.Combine(dir.FullName, ".git")))
                {
                    return dir.FullName;
                }
                dir = dir.Parent;
            }
            throw new InvalidOperationException(
                "No folder holding IotyDevice.sln or .git above " + AppContext.BaseDirectory);
        }

        /// <summary>Every .cs under Firmware/, skipping build output (bin, obj) and restored NuGet packages.</summary>
        public static IReadOnlyList<string> FirmwareSources()
        {
            return EnumerateFiles(Firmware, "*.cs")
                .OrderBy(p => p, StringComparer.Ordinal)
                .ToList();
        }

        public static IEnumerable<string> EnumerateFiles(string dir, string pattern)
        {
            if (!Directory.Exists(dir))
            {
                yield break;
            }
            foreach (var file in Directory.EnumerateFiles(dir, pattern))
            {
                yield return file;
            }
            foreach (var sub in Directory.EnumerateDirectories(dir))
            {
                string name = Path.GetFileName(sub);
                if (IsSkippedFolder(name))
                {
                    continue;
                }
                foreach (var file in EnumerateFiles(sub, pattern))
                {
                    yield return file;
                }
            }
        }

        public static bool IsSkippedFolder(string name)
        {
            return name.Equals("bin", StringComparison.OrdinalIgnoreCase)
                || name.Equals("obj", StringComparison.OrdinalIgnoreCase)
                || name.Equals("packages", StringComparison.OrdinalIgnoreCase)
                || name.StartsWith(".", StringComparison.Ordinal);
        }

        /// <summary>Path relative to the repository root, with forward slashes (for messages).</summary>
        public static string Relative(string fullPath)
        {
            return Path.GetRelativePath(Root, fullPath).Replace('\\', '/');
        }
    }
}
