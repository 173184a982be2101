using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

/// <summary>The device's WiFi paths on fakes with driven time: flash writes, the diagnosis lines as printed,
/// and WiFi losses in every state that can see one.</summary>
public class DeviceWifiTests
{
    private const long Day = 24L * 60 * 60 * 1000;

    [Fact]
    public void A_day_without_the_access_point_writes_the_wifi_configuration_to_flash_once()
    {
        var rig = new DeviceRig();
        for (int i = 0; i < 5000; i++) rig.Network.ConnectResults.Enqueue(WifiConnectStatus.NetworkNotFound);
        rig.Start();

        Assert.False(rig.RunUntil(() => rig.Device.State == ConnectionState.Online, Day));

        Assert.Equal(1, rig.Network.Stores);
        Assert.True(rig.Network.Joins.Count >= 1400, "a day of retries at most 60 s apart, got " + rig.Network.Joins.Count);
        Assert.All(rig.Network.Joins, join => Assert.Equal(("ClassroomWiFi", "wifi-secret-123"), join));
    }

    [Fact]
    public void A_configuration_already_stored_is_not_written_again()
    {
        var rig = new DeviceRig();
        rig.Network.StoredSsid = "ClassroomWiFi";
        rig.Network.StoredPassword = "wifi-secret-123";
        rig.StartOnline();
        Assert.Equal(0, rig.Network.Stores);
        Assert.Single(rig.Network.Joins);
    }

    [Fact]
    public void A_changed_password_is_written_once_and_then_used()
    {
        var rig = new DeviceRig();
        rig.Network.StoredSsid = "ClassroomWiFi";
        rig.Network.StoredPassword = "last-years-password";
        rig.StartOnline();
        Assert.Equal(1, rig.Network.Stores);
        Assert.Equal(("ClassroomWiFi", "wifi-secret-123"), Assert.Single(rig.Network.Joins));
    }

    [Fact]
    public void A_missing_network_is_named_with_the_networks_the_scan_saw()
    {
        var rig = new DeviceRig();
        rig.Network.ConnectResults.Enqueue(WifiConnectStatus.NetworkNotFound);
        rig.Network.InRange = new List<ScannedNetwork> { new("Neighbours", -71), new("classroom wifi", -48) };
        rig.StartOnline();
        Assert.Contains("WiFi: no network named \"ClassroomWiFi\" in range; networks seen: classroom wifi (-48 dBm), Neighbours (-71 dBm) "
                        + "(ESP32 sees only 2.4 GHz; names are case-sensitive); \"classroom wifi\" differs only in case or spaces: check WifiSsid",
            rig.Monitor.Lines);
        Assert.Equal(1, rig.Network.Scans);
    }

    [Fact]
    public void A_refused_password_is_said_with_the_signal_and_never_the_password_itself()
    {
        var rig = new DeviceRig();
        rig.Network.ConnectResults.Enqueue(WifiConnectStatus.Refused);
        rig.Network.InRange = new List<ScannedNetwork> { new("ClassroomWiFi", -63) };
        rig.StartOnline();
        Assert.Contains("WiFi: \"ClassroomWiFi\" is in range (-63 dBm) but refused the password; check WifiPassword", rig.Monitor.Lines);
        Assert.DoesNotContain(rig.Monitor.Lines, l => l.Contains("wifi-secret-123"));
    }

    [Fact]
    public void A_failed_scan_still_gives_a_line_and_the_device_retries()
    {
        var rig = new DeviceRig();
        rig.Network.ConnectResults.Enqueue(WifiConnectStatus.TimedOut);
        rig.Network.InRange = null;
        rig.StartOnline();
        Assert.Contains("WiFi: could not join \"ClassroomWiFi\"; check WifiSsid/WifiPassword and that the network is 2.4 GHz", rig.Monitor.Lines);
    }

    [Fact]
    public void No_dhcp_address_is_its_own_line_without_a_scan()
    {
        var rig = new DeviceRig();
        rig.Network.ConnectResults.Enqueue(WifiConnectStatus.NoIpAddress);
        rig.StartOnline();
        Assert.Contains("WiFi: joined \"ClassroomWiFi\" but got no IP address (DHCP); check the router", rig.Monitor.Lines);
        Assert.Equal(0, rig.Network.Scans);
    }

    [Fact]
    public void A_platform_fault_while_storing_is_one_line_and_the_join_is_retried()
    {
        var rig = new DeviceRig();
        rig.Network.StoreFault = new IOException("flash busy");
        rig.Network.InRange = null;
        rig.StartOnline();
        Assert.Contains("WiFi: joining \"ClassroomWiFi\" failed (flash busy)", rig.Monitor.Lines);
        Assert.Equal(1, rig.Network.Stores);
    }

    [Fact]
    public void A_stable_connection_lost_through_wifi_starts_the_mqtt_backoff_afresh()
    {
        var rig = new DeviceRig();
        rig.Options.StableConnectionMs = 60_000;
        rig.StartOnline();
        rig.DropAndReconnect(5); // quick drops: the MQTT backoff grows (the next failure would wait 3.2-32 s)

        rig.Clock.Advance(61_000); // then a long, healthy connection
        rig.Network.IsUp = false;
        rig.Mqtt.NextConnect(ConnectResult.ServerUnavailable);
        int lines = rig.Monitor.Lines.Count;
        Assert.True(rig.RunUntil(() => rig.Monitor.Lines.Skip(lines).Any(l => l.StartsWith("MQTT: next try in"))), rig.Monitor.Transcript);

        Assert.InRange(RetrySeconds(rig, "MQTT:", lines), 0, rig.Options.BackoffBaseMs / 1000.0);
    }

    /// <summary>The delay of the first "next try in n s" line of <paramref name="tag"/> after line <paramref name="from"/>.</summary>
    private static double RetrySeconds(DeviceRig rig, string tag, int from)
    {
        string prefix = tag + " next try in ";
        string retry = rig.Monitor.Lines.Skip(from).First(l => l.StartsWith(prefix, StringComparison.Ordinal));
        return double.Parse(retry[prefix.Length..^2], System.Globalization.CultureInfo.InvariantCulture);
    }

    [Fact]
    public void The_wifi_backoff_starts_over_once_wifi_has_joined()
    {
        var rig = new DeviceRig();
        for (int i = 0; i < 5; i++) rig.Network.ConnectResults.Enqueue(WifiConnectStatus.TimedOut); // the next would wait 3.2-32 s
        rig.StartOnline();

        rig.Network.IsUp = false;
        rig.Network.ConnectResults.Enqueue(WifiConnectStatus.TimedOut);
        int lines = rig.Monitor.Lines.Count;
        Assert.True(rig.RunUntil(() => rig.Monitor.Lines.Skip(lines).Any(l => l.StartsWith("WiFi: next try in"))), rig.Monitor.Transcript);
        Assert.InRange(RetrySeconds(rig, "WiFi:", lines), 0, rig.Options.BackoffBaseMs / 1000.0);
    }

    [Fact]
    public void Waiting_to_retry_mqtt_notices_a_wifi_loss_at_once()
    {
        var rig = new DeviceRig();
        rig.Options.BackoffBaseMs = 30_000;
        rig.Mqtt.NextConnect(ConnectResult.ServerUnavailable);
        rig.Start();
        Assert.True(rig.RunUntil(() => rig.Device.State == ConnectionState.WaitingToRetry));
        int joins = rig.Network.Joins.Count;

        rig.Network.IsUp = false;
        long lost = rig.Clock.NowMs;
        Assert.True(rig.RunUntil(() => rig.Network.Joins.Count > joins, 14_000), "no rejoin before the MQTT retry time:\n" + rig.Monitor.Transcript);
        Assert.True(rig.Clock.NowMs - lost <= 1_000, "rejoined only after " + (rig.Clock.NowMs - lost) + " ms");
        Assert.Contains("WiFi: connection lost; reconnecting", rig.Monitor.Lines);
    }
}
