using System.Diagnostics;
using System.Text.Json;

namespace Firmware.Tests.Rules;

/// <summary>No secret is committed: the learner's settings.json and deploy.json (WiFi and broker credentials) are
/// git-ignored and untracked, the example files hold only `&lt;...&gt;` placeholders where credentials go, and no
/// tracked file holds a private key.</summary>
public class SecretsTests
{
    private static readonly string[] SecretFiles = { "Firmware/settings.json", "Firmware/deploy.json" };

    /// <summary>Keys whose values are credentials; the value must be "" or a `&lt;...&gt;` placeholder.</summary>
    private static readonly string[] CredentialWords = { "password", "username", "ssid", "secret", "token", "key" };

    private static readonly string PrivateKeyLine = "-----BEGIN " + "PRIVATE KEY-----"; // split so this file does not hold it

    public static List<string> TrackedSecretProblems(IEnumerable<string> tracked, Func<string, bool> ignored) =>
        SecretFiles.Where(f => tracked.Contains(f)).Select(f => f + " is committed: git rm --cached " + f)
            .Concat(SecretFiles.Where(f => !ignored(f)).Select(f => f + " is not git-ignored: add its name to .gitignore"))
            .ToList();

    public static List<string> ExampleProblems(string name, string json)
    {
        var problems = new List<string>();
        using var doc = JsonDocument.Parse(json);
        foreach (var p in doc.RootElement.EnumerateObject())
        {
            string value = p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString() : "";
            bool credential = CredentialWords.Any(w => p.Name.Contains(w, StringComparison.OrdinalIgnoreCase));
            if (credential && value.Length > 0 && !(value.StartsWith('<') && value.EndsWith('>')))
                problems.Add(name + ": \"" + p.Name + "\" looks real; write a placeholder such as \"<your " + p.Name + ">\"");
        }
        return problems;
    }

    public static List<string> PrivateKeyProblems(IEnumerable<(string Path, string Text)> files) =>
        files.Where(f => f.Text.Replace("RSA ", "").Replace("EC ", "").Contains(PrivateKeyLine, StringComparison.Ordinal))
            .Select(f => f.Path + " holds a private key: remove it (and rotate it)").ToList();

    [Fact]
    public void No_secret_is_committed()
    {
        string[] tracked = Git("ls-files").Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var problems = TrackedSecretProblems(tracked, f => Git("check-ignore " + f).Trim() == f);
        foreach (string example in tracked.Where(t => t.EndsWith(".example.json", StringComparison.Ordinal)))
            problems.AddRange(ExampleProblems(example, RepoPaths.Read(example)));
        problems.AddRange(PrivateKeyProblems(tracked.Where(t => File.Exists(Path.Combine(RepoPaths.Root, t)) && new FileInfo(Path.Combine(RepoPaths.Root, t)).Length < 1_000_000)
            .Select(t => (t, RepoPaths.Read(t)))));

        Assert.Contains("Firmware/settings.example.json", tracked);
        Assert.True(problems.Count == 0, string.Join("\n", problems));
    }

    [Fact]
    public void A_committed_or_unignored_settings_file_is_named()
    {
        Assert.Equal(new[] { "Firmware/settings.json is committed: git rm --cached Firmware/settings.json", "Firmware/deploy.json is not git-ignored: add its name to .gitignore" },
            TrackedSecretProblems(new[] { "README.md", "Firmware/settings.json" }, f => f != "Firmware/deploy.json"));
    }

    [Theory]
    [InlineData("{ \"WifiPassword\": \"hunter22\" }")]
    [InlineData("{ \"BrokerUsername\": \"alice\" }")]
    [InlineData("{ \"WifiSsid\": \"FRITZ!Box 7590 KL\" }")]
    public void A_real_looking_credential_in_an_example_file_is_named(string json)
    {
        Assert.Single(ExampleProblems("settings.example.json", json));
        Assert.Empty(ExampleProblems("settings.example.json", "{ \"WifiPassword\": \"<your WiFi password>\", \"BrokerUsername\": \"\", \"BrokerPort\": 8883 }"));
    }

    [Fact]
    public void A_private_key_in_a_tracked_file_is_named()
    {
        Assert.Single(PrivateKeyProblems(new[] { ("certs/server.key", "-----BEGIN EC " + "PRIVATE KEY-----\nMHcCAQEE...") }));
        Assert.Empty(PrivateKeyProblems(new[] { ("certs/isrg-root-x1.pem", RepoPaths.Read("certs/isrg-root-x1.pem")) }));
    }

    private static string Git(string arguments)
    {
        using var git = Process.Start(new ProcessStartInfo("git", arguments) { WorkingDirectory = RepoPaths.Root, RedirectStandardOutput = true, RedirectStandardError = true });
        string output = git.StandardOutput.ReadToEnd();
        git.WaitForExit();
        return output;
    }
}
