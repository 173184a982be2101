using System.Reflection;
using Firmware.Tests.Fakes;
using Firmware.Tests.Rules;
using IotyDevice.Core;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace Firmware.Tests.Adapters;

/// <summary>
/// The board's WiFi adapter itself (Firmware/Device/WifiNetwork.cs, which no build here compiles for the board),
/// compiled with Roslyn against fakes of the upstream API it calls and driven by the core for a day without the
/// access point. The fakes keep what the upstream library keeps: every WifiAdapter ever made stays registered
/// (WifiEventListener's static list in System.Device.Wifi 1.5.149), and every SaveConfiguration is a flash write
/// (Wireless80211Configuration in System.Net 1.11.60). The fakes are written from the public signatures only.
/// </summary>
public class WifiNetworkOnFakesTests
{
    private const string UpstreamFakes = """
        namespace System.Device.Wifi
        {
            public delegate void AvailableNetworksChangedEventHandler(WifiAdapter sender, object e);
            public enum WifiConnectionStatus { AccessRevoked, InvalidCredential, NetworkNotAvailable, Success, Timeout, UnspecifiedFailure, UnsupportedAuthenticationProtocol }
            public enum WifiReconnectionKind { Automatic, Manual }
            public class WifiConnectionResult
            {
                public WifiConnectionResult(WifiConnectionStatus status) { ConnectionStatus = status; }
                public WifiConnectionStatus ConnectionStatus { get; }
            }
            public class WifiAvailableNetwork
            {
                public string Ssid { get; set; }
                public double NetworkRssiInDecibelMilliwatts { get; set; }
            }
            public class WifiNetworkReport
            {
                public WifiAvailableNetwork[] AvailableNetworks { get; set; }
            }
            public sealed class WifiAdapter
            {
                // Upstream: each adapter registers in a static list and is never removed (the leak).
                public static int Registered;
                public static int Connects;
                public static WifiConnectionStatus Answer = WifiConnectionStatus.NetworkNotAvailable;
                public static WifiAvailableNetwork[] InRange = new WifiAvailableNetwork[0];
                public WifiAdapter() { Registered++; }
                public event AvailableNetworksChangedEventHandler AvailableNetworksChanged;
                public WifiNetworkReport NetworkReport => new WifiNetworkReport { AvailableNetworks = InRange };
                public static WifiAdapter[] FindAllAdapters() => new[] { new WifiAdapter() };
                public WifiConnectionResult Connect(string ssid, WifiReconnectionKind kind, string password)
                {
                    Connects++;
                    System.Net.NetworkInformation.NetworkInterface.Station.Address = Answer == WifiConnectionStatus.Success ? "192.168.1.23" : "0.0.0.0";
                    return new WifiConnectionResult(Answer);
                }
                public void ScanAsync() { AvailableNetworksChanged?.Invoke(this, null); }
            }
        }
        namespace System.Net.NetworkInformation
        {
            public enum NetworkInterfaceType { Unknown = 1, Ethernet = 6, Wireless80211 = 71 }
            public class NetworkInterface
            {
                public static readonly NetworkInterface Station = new NetworkInterface();
                public string Address = "0.0.0.0";
                public static NetworkInterface[] GetAllNetworkInterfaces() => new[] { Station };
                public string IPv4Address => Address;
                public byte[] PhysicalAddress => new byte[] { 0x24, 0x0A, 0xC4, 0x12, 0xAB, 0xFE };
                public NetworkInterfaceType NetworkInterfaceType => NetworkInterfaceType.Wireless80211;
                public uint SpecificConfigId => 0;
            }
            public class Wireless80211Configuration
            {
                public static int FlashWrites;
                private static readonly Wireless80211Configuration Block = new Wireless80211Configuration();
                public string Ssid { get; set; }
                public string Password { get; set; }
                public void SaveConfiguration() { FlashWrites++; }
                public static Wireless80211Configuration[] GetAllWireless80211Configurations() => new[] { Block };
            }
            public class NetworkAvailabilityEventArgs : System.EventArgs { public bool IsAvailable { get; set; } }
            public delegate void NetworkAddressChangedEventHandler(object sender, System.EventArgs e);
            public delegate void NetworkAvailabilityChangedEventHandler(object sender, NetworkAvailabilityEventArgs e);
            public static class NetworkChange
            {
                public static event NetworkAddressChangedEventHandler NetworkAddressChanged;
                public static event NetworkAvailabilityChangedEventHandler NetworkAvailabilityChanged;
            }
        }
        """;

    private static readonly Lazy<Assembly> Compiled = new(Compile);

    [Fact]
    public void A_day_of_retries_without_the_access_point_makes_one_wifi_adapter_and_one_flash_write()
    {
        Assembly fakes = Compiled.Value;
        Type adapter = fakes.GetType("System.Device.Wifi.WifiAdapter", true);
        Type status = fakes.GetType("System.Device.Wifi.WifiConnectionStatus", true);
        Type available = fakes.GetType("System.Device.Wifi.WifiAvailableNetwork", true);
        Type configuration = fakes.GetType("System.Net.NetworkInformation.Wireless80211Configuration", true);
        var neighbour = Activator.CreateInstance(available);
        available.GetProperty("Ssid").SetValue(neighbour, "Neighbours");
        available.GetProperty("NetworkRssiInDecibelMilliwatts").SetValue(neighbour, -70.0);
        var inRange = Array.CreateInstance(available, 1);
        inRange.SetValue(neighbour, 0);
        adapter.GetField("InRange").SetValue(null, inRange);

        var clock = new FakeClock();
        var monitor = new RecordingMonitor();
        var wakeup = new Wakeup();
        var network = (INetwork)Activator.CreateInstance(fakes.GetType("IotyDevice.Firmware.WifiNetwork", true), wakeup);
        var device = new IotyDevice.Core.Device(new DevicePorts
        {
            Network = network, Mqtt = new FakeMqtt(), Button = new FakeButton(clock), Clock = clock, Monitor = monitor, Settings = new FakeSettings(),
        }, new DeviceOptions { Random = new Random(7) }, wakeup);
        device.Start();

        long day = 24L * 60 * 60 * 1000;
        while (clock.NowMs < day)
        {
            clock.Advance(Math.Max(device.Step(), 1));
        }

        int connects = (int)adapter.GetField("Connects").GetValue(null);
        Assert.True(connects >= 1400, "a day of retries at most 60 s apart, got " + connects);
        Assert.Equal(1, (int)adapter.GetField("Registered").GetValue(null));
        Assert.Equal(1, (int)configuration.GetField("FlashWrites").GetValue(null));
        Assert.Contains("WiFi: no network named \"ClassroomWiFi\" in range; networks seen: Neighbours (-70 dBm) (ESP32 sees only 2.4 GHz; names are case-sensitive)",
            monitor.Lines);

        // The access point comes back: the same adapter joins.
        adapter.GetField("Answer").SetValue(null, Enum.Parse(status, "Success"));
        long back = clock.NowMs;
        while (device.State != ConnectionState.Online && clock.NowMs - back < 120_000)
        {
            clock.Advance(Math.Max(device.Step(), 1));
        }

        Assert.Equal(ConnectionState.Online, device.State);
        Assert.Equal(1, (int)adapter.GetField("Registered").GetValue(null));
    }

    private static Assembly Compile()
    {
        string adapterSource = File.ReadAllText(Path.Combine(RepoPaths.Firmware, "Device", "WifiNetwork.cs"));
        // The BCL has its own System.Net.NetworkInformation; the fakes stand in for the device's instead.
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")).Split(Path.PathSeparator)
            .Where(p => !Path.GetFileName(p).StartsWith("System.Net.NetworkInformation", StringComparison.Ordinal))
            .Select(p => MetadataReference.CreateFromFile(p))
            .Append(MetadataReference.CreateFromFile(typeof(INetwork).Assembly.Location));
        var compilation = CSharpCompilation.Create("WifiNetworkOnFakes",
            new[] { CSharpSyntaxTree.ParseText(adapterSource), CSharpSyntaxTree.ParseText(UpstreamFakes) },
            references, new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary));
        using var image = new MemoryStream();
        var result = compilation.Emit(image);
        Assert.True(result.Success, string.Join(Environment.NewLine, result.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error)));
        return Assembly.Load(image.ToArray());
    }
}
