namespace Simulator.Tests.Infrastructure;

/// <summary>A learner's clone of this repository in a temporary folder: the files git tracks plus new files not
/// ignored (no bin/, obj/, .simulator/, settings.json), committed in a fresh git repository so a doc's
/// `git checkout ...` works there too. Commands run in it can edit, build and write state without touching the
/// real working tree; Dispose deletes it.</summary>
public sealed class RepositoryCopy : IDisposable
{
    private static readonly TimeSpan GitLimit = TimeSpan.FromMinutes(1);

    public string Root { get; }

    public RepositoryCopy(string name)
    {
        Root = Path.Combine(Path.GetTempPath(), "ioty-" + name + "-" + Guid.NewGuid().ToString("N")[..10]);
        string source = IotyDevice.TestKit.Artifacts.RepositoryRoot;
        var (code, list) = ShellCommand.Run(source, "git ls-files -co --exclude-standard -z", GitLimit);
        Assert.True(code == 0, "git ls-files failed: " + list);
        foreach (string relative in list.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            string from = Path.Combine(source, relative);
            if (!File.Exists(from)) continue; // deleted in the working tree
            string to = Path.Combine(Root, relative);
            Directory.CreateDirectory(Path.GetDirectoryName(to));
            File.Copy(from, to);
        }
        var (initCode, initOutput) = ShellCommand.Run(Root, "git init -q && git add -A && git -c user.name=test -c user.email=test@localhost commit -qm copy", GitLimit);
        Assert.True(initCode == 0, "git init in the copy failed: " + initOutput);
    }

    public string PathOf(string relative) => Path.Combine(Root, relative);

    public void Dispose()
    {
        try { Directory.Delete(Root, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
