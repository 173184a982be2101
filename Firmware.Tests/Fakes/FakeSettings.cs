using IotyDevice.Core;

namespace Firmware.Tests.Fakes;

public sealed class FakeSettings : ISettingsSource
{
    public DeviceSettings Settings { get; set; } = Valid();
    public string Problem { get; set; }
    /// <summary>No file at all: Read returns null with no problem text, as both real sources do.</summary>
    public bool Missing { get; set; }
    public int Reads { get; private set; }

    public string Location => "settings.json";

    /// <summary>Files a setting may name that are not there (e.g. a CaCertificate path never deployed).</summary>
    public HashSet<string> MissingFiles { get; } = new();

    public bool HasFile(string path) => !MissingFiles.Contains(path);

    public DeviceSettings Read(out string problem)
    {
        Reads++;
        problem = Problem;
        return Problem == null && !Missing ? Settings : null;
    }

    public static DeviceSettings Valid() => new()
    {
        WifiSsid = "ClassroomWiFi",
        WifiPassword = "wifi-secret-123",
        BrokerHost = "abc123.s1.eu.hivemq.cloud",
        BrokerUsername = "student",
        BrokerPassword = "broker-secret-456",
        MonitorTopic = "", // off, so the tests of the rest see only their own publishes; MonitorMirrorTests turn it on
    };
}
