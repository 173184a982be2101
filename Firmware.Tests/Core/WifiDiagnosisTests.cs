using IotyDevice.Core;

namespace Firmware.Tests.Core;

/// <summary>Every line a failed WiFi join can print, decided from the connect status and the scan alone.</summary>
public class WifiDiagnosisTests
{
    private static ScannedNetwork[] Seen(params (string Ssid, int Rssi)[] networks) =>
        networks.Select(n => new ScannedNetwork(n.Ssid, n.Rssi)).ToArray();

    [Theory]
    [InlineData(WifiConnectStatus.NetworkNotFound)]
    [InlineData(WifiConnectStatus.TimedOut)]
    public void A_network_not_in_range_lists_the_networks_seen_strongest_first(WifiConnectStatus status)
    {
        string line = WifiDiagnosis.Describe("ClassroomWiFi", status, Seen(("B", -71), ("A", -48)), null);
        Assert.Equal("WiFi: no network named \"ClassroomWiFi\" in range; networks seen: A (-48 dBm), B (-71 dBm) "
                     + "(ESP32 sees only 2.4 GHz; names are case-sensitive)", line);
    }

    [Fact]
    public void At_most_a_few_networks_are_listed_each_name_once_at_its_strongest_hidden_ones_left_out()
    {
        string line = WifiDiagnosis.Describe("X", WifiConnectStatus.NetworkNotFound,
            Seen(("E", -90), ("A", -60), ("", -30), ("A", -40), ("B", -50), ("C", -70), ("D", -80)), null);
        Assert.Contains("networks seen: A (-40 dBm), B (-50 dBm), C (-70 dBm), D (-80 dBm) (", line);
        Assert.DoesNotContain("E (", line);
        Assert.Equal(WifiDiagnosis.MaxNetworksListed, 4);
    }

    [Fact]
    public void An_empty_scan_says_no_networks_were_seen()
    {
        Assert.Equal("WiFi: no network named \"ClassroomWiFi\" in range; networks seen: none (ESP32 sees only 2.4 GHz; names are case-sensitive)",
            WifiDiagnosis.Describe("ClassroomWiFi", WifiConnectStatus.NetworkNotFound, Seen(), null));
    }

    [Theory]
    [InlineData("classroomwifi", "ClassroomWiFi")]
    [InlineData("Classroom WiFi", "ClassroomWiFi")]
    [InlineData("ClassroomWiFi", "classroom wifi ")]
    public void A_name_that_differs_only_in_case_or_spaces_is_pointed_out(string wanted, string inRange)
    {
        string line = WifiDiagnosis.Describe(wanted, WifiConnectStatus.NetworkNotFound, Seen(("Other", -40), (inRange, -55)), null);
        Assert.StartsWith("WiFi: no network named \"" + wanted + "\" in range; networks seen: ", line);
        Assert.EndsWith("; \"" + inRange + "\" differs only in case or spaces: check WifiSsid", line);
    }

    [Fact]
    public void A_different_name_is_not_called_a_lookalike()
    {
        string line = WifiDiagnosis.Describe("ClassroomWiFi", WifiConnectStatus.NetworkNotFound, Seen(("ClassroomWiFi2", -40)), null);
        Assert.DoesNotContain("differs only", line);
    }

    [Fact]
    public void In_range_but_refused_names_the_password()
    {
        Assert.Equal("WiFi: \"ClassroomWiFi\" is in range (-63 dBm) but refused the password; check WifiPassword",
            WifiDiagnosis.Describe("ClassroomWiFi", WifiConnectStatus.Refused, Seen(("Other", -40), ("ClassroomWiFi", -70), ("ClassroomWiFi", -63)), null));
    }

    [Fact]
    public void A_refusal_the_scan_missed_still_names_the_password()
    {
        Assert.Equal("WiFi: \"ClassroomWiFi\" refused the password; check WifiPassword",
            WifiDiagnosis.Describe("ClassroomWiFi", WifiConnectStatus.Refused, Seen(("Other", -40)), null));
        Assert.Equal("WiFi: \"ClassroomWiFi\" refused the password; check WifiPassword",
            WifiDiagnosis.Describe("ClassroomWiFi", WifiConnectStatus.Refused, null, null));
    }

    [Theory]
    [InlineData(WifiConnectStatus.Refused)]
    [InlineData(WifiConnectStatus.TimedOut)]
    [InlineData(WifiConnectStatus.NetworkNotFound)]
    public void A_weak_signal_is_said_before_anything_else(WifiConnectStatus status)
    {
        Assert.Equal("WiFi: \"ClassroomWiFi\" is in range (-86 dBm) but the signal is too weak to join; move the board closer to the access point",
            WifiDiagnosis.Describe("ClassroomWiFi", status, Seen(("ClassroomWiFi", -86)), null));
    }

    [Fact]
    public void A_signal_just_above_the_weak_limit_is_not_called_weak()
    {
        string line = WifiDiagnosis.Describe("X", WifiConnectStatus.Refused, Seen(("X", WifiDiagnosis.WeakSignalDbm + 1)), null);
        Assert.Contains("refused the password", line);
    }

    [Fact]
    public void A_signal_exactly_at_the_weak_limit_is_called_weak()
    {
        string line = WifiDiagnosis.Describe("X", WifiConnectStatus.Refused, Seen(("X", -80)), null);
        Assert.Equal(-80, WifiDiagnosis.WeakSignalDbm);
        Assert.Contains("(-80 dBm) but the signal is too weak to join", line);
    }

    [Fact]
    public void In_range_but_silent_says_it_will_be_retried()
    {
        Assert.Equal("WiFi: \"X\" is in range (-60 dBm) but did not answer the join; it will be retried",
            WifiDiagnosis.Describe("X", WifiConnectStatus.TimedOut, Seen(("X", -60)), null));
    }

    [Fact]
    public void In_range_but_failed_carries_the_platform_detail()
    {
        Assert.Equal("WiFi: \"X\" is in range (-60 dBm) but joining failed (radio busy)",
            WifiDiagnosis.Describe("X", WifiConnectStatus.Failed, Seen(("X", -60)), "radio busy"));
    }

    [Fact]
    public void Without_a_scan_the_connect_status_alone_decides()
    {
        Assert.Equal("WiFi: could not join \"X\"; check WifiSsid/WifiPassword and that the network is 2.4 GHz",
            WifiDiagnosis.Describe("X", WifiConnectStatus.TimedOut, null, null));
        Assert.Equal("WiFi: joining \"X\" failed (boom)", WifiDiagnosis.Describe("X", WifiConnectStatus.Failed, null, "boom"));
        Assert.Equal("WiFi: joining \"X\" failed", WifiDiagnosis.Describe("X", WifiConnectStatus.Failed, null, ""));
    }

    [Fact]
    public void No_dhcp_address_and_no_adapter_each_have_their_own_line()
    {
        Assert.Equal("WiFi: joined \"X\" but got no IP address (DHCP); check the router",
            WifiDiagnosis.Describe("X", WifiConnectStatus.NoIpAddress, null, null));
        Assert.Equal("WiFi: this board reports no WiFi interface; flash an ESP32 WiFi image with nanoff",
            WifiDiagnosis.Describe("X", WifiConnectStatus.NoAdapter, null, null));
    }

    [Theory]
    [InlineData(WifiConnectStatus.NetworkNotFound, true)]
    [InlineData(WifiConnectStatus.Refused, true)]
    [InlineData(WifiConnectStatus.TimedOut, true)]
    [InlineData(WifiConnectStatus.Failed, true)]
    [InlineData(WifiConnectStatus.NoIpAddress, false)]
    [InlineData(WifiConnectStatus.NoAdapter, false)]
    public void Only_failures_a_scan_can_explain_ask_for_one(WifiConnectStatus status, bool scan)
    {
        Assert.Equal(scan, WifiDiagnosis.NeedsScan(status));
    }

    [Fact]
    public void Null_entries_and_nameless_networks_in_a_scan_are_skipped()
    {
        var scan = new[] { null, new ScannedNetwork(null, -30), new ScannedNetwork("A", -48), null };
        Assert.Equal("WiFi: no network named \"ClassroomWiFi\" in range; networks seen: A (-48 dBm) (ESP32 sees only 2.4 GHz; names are case-sensitive)",
            WifiDiagnosis.Describe("ClassroomWiFi", WifiConnectStatus.NetworkNotFound, scan, null));
    }

    [Fact]
    public void Networks_of_equal_strength_are_listed_in_the_order_scanned()
    {
        Assert.Contains("networks seen: A (-50 dBm), B (-50 dBm) (",
            WifiDiagnosis.Describe("X", WifiConnectStatus.NetworkNotFound, Seen(("A", -50), ("B", -50)), null));
    }

    [Fact]
    public void Of_several_lookalikes_the_strongest_is_named_the_first_scanned_on_a_tie()
    {
        string line = WifiDiagnosis.Describe("ClassroomWiFi", WifiConnectStatus.NetworkNotFound,
            Seen(("classroomwifi", -70), ("CLASSROOMWIFI", -50), ("Classroom Wifi", -50)), null);
        Assert.EndsWith("; \"CLASSROOMWIFI\" differs only in case or spaces: check WifiSsid", line);
    }
}
