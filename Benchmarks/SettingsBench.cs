using System.Collections;
using System.Diagnostics;
using System.Runtime.CompilerServices;
using System.Text.Json.Nodes;
using IotyDevice.Core;
using IotyDevice.Host.Settings;
using IotyDevice.TestKit;

namespace IotyDevice.Benchmarks;

/// <summary>Section 6: reading settings.json (JsonSettingsFile) and checking it (SettingsValidator.Validate).</summary>
public static class SettingsBench
{
    public const string Section = "6. Settings";

    public static void Run(BenchReport report, int calls)
    {
        string path = WriteFilledExample();
        var file = new JsonSettingsFile(path);
        DeviceSettings sample = file.Read(out string problem) ?? throw new InvalidOperationException("the filled example did not parse: " + problem);
        ArrayList errors = SettingsValidator.Validate(sample);
        if (errors.Count != 0) throw new InvalidOperationException("the filled example is not valid: " + string.Join("; ", errors.Cast<string>()));

        const int warmup = 500;
        for (int i = 0; i < warmup; i++) ParseAndValidate(file);
        var both = Measure(calls, () => ParseAndValidate(file));
        var parse = Measure(calls, () => Parse(file));
        var validate = Measure(calls, () => Validate(sample));

        report.Add(new Row("6a", "settings: parse + validate, per call", $"{Stats.Us(Stats.Median(both.Us))}, {Stats.Bytes(Stats.Median(both.Bytes))}", "",
            $"p99 {Stats.Us(Stats.P99(both.Us))}", "", Verdict.Info));
        report.Add(new Row("6b", "settings: parse only (JsonSettingsFile.Read)", $"{Stats.Us(Stats.Median(parse.Us))}, {Stats.Bytes(Stats.Median(parse.Bytes))}", "",
            $"p99 {Stats.Us(Stats.P99(parse.Us))}", "", Verdict.Info));
        report.Add(new Row("6c", "settings: validate only (SettingsValidator.Validate)", $"{Stats.Us(Stats.Median(validate.Us))}, {Stats.Bytes(Stats.Median(validate.Bytes))}", "",
            $"p99 {Stats.Us(Stats.P99(validate.Us))}", "", Verdict.Info));
        report.Note(Section, $"Firmware/settings.example.json with its placeholders filled in with valid values, in a temporary file ({new FileInfo(path).Length} bytes). "
            + $"Median (and p99) of {calls:N0} single calls each after {warmup} warm-up calls; time by Stopwatch, bytes by GC.GetAllocatedBytesForCurrentThread(). "
            + "Parsing includes reading the file (File.ReadAllText) and System.Text.Json's deserialization into DeviceSettings; Validate returns "
            + "an empty ArrayList for valid settings. The core does this once at start and every SettingsRetryMs (10 s) only while the settings are "
            + "invalid, so neither figure is on a hot path; on the device nanoFramework.Json does the parsing and costs differ.");
    }

    private static string WriteFilledExample()
    {
        JsonObject json = JsonNode.Parse(File.ReadAllText(Path.Combine(Artifacts.RepositoryRoot, "Firmware", "settings.example.json"))).AsObject();
        json["WifiSsid"] = "ioty-lab";
        json["WifiPassword"] = "wifi-pass-1";
        json["BrokerHost"] = "abc123.s1.eu.hivemq.cloud";
        json["BrokerUsername"] = "device-user";
        json["BrokerPassword"] = "device-pass-1";
        foreach (var (key, value) in json.ToList())
            if (value is JsonValue v && v.TryGetValue(out string s) && s.StartsWith('<'))
                throw new InvalidOperationException("settings.example.json has a new placeholder the bench does not fill: " + key);
        string path = Path.Combine(Artifacts.RunDirectory("settings"), "settings.json");
        File.WriteAllText(path, json.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
        return path;
    }

    private static (List<double> Us, List<double> Bytes) Measure(int calls, Action call)
    {
        var us = new List<double>(calls);
        var bytes = new List<double>(calls);
        for (int i = 0; i < calls; i++)
        {
            long b0 = GC.GetAllocatedBytesForCurrentThread();
            long t0 = Stopwatch.GetTimestamp();
            call();
            long t1 = Stopwatch.GetTimestamp();
            long b1 = GC.GetAllocatedBytesForCurrentThread();
            us.Add(Stats.TicksToMicroseconds(t1 - t0));
            bytes.Add(b1 - b0);
        }
        return (us, bytes);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void ParseAndValidate(JsonSettingsFile file)
    {
        DeviceSettings s = file.Read(out _);
        if (SettingsValidator.Validate(s).Count != 0) throw new InvalidOperationException("invalid");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Parse(JsonSettingsFile file)
    {
        if (file.Read(out _) == null) throw new InvalidOperationException("no settings");
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void Validate(DeviceSettings s)
    {
        if (SettingsValidator.Validate(s).Count != 0) throw new InvalidOperationException("invalid");
    }
}
