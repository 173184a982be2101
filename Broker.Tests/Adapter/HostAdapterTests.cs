using Broker.Tests.Infrastructure;
using IotyDevice.Core;
using IotyDevice.Host.Button;
using IotyDevice.Host.Monitor;
using IotyDevice.Host.Network;
using IotyDevice.Host.Settings;
using Xunit;

namespace Broker.Tests.Adapter;

/// <summary>The small host adapters the scenarios (and the simulator) lean on.</summary>
public sealed class HostAdapterTests
{
    private static JsonSettingsFile SettingsWith(string text)
    {
        string path = Path.Combine(Artifacts.RunDirectory("settings"), "settings.json");
        if (text != null) File.WriteAllText(path, text);
        return new JsonSettingsFile(path);
    }

    [Fact]
    public void Settings_are_read_by_exact_property_name_and_missing_ones_keep_their_defaults()
    {
        DeviceSettings s = SettingsWith("{ \"WifiSsid\": \"lab\", \"brokerhost\": \"ignored\", \"BrokerHost\": \"b.example\" }").Read(out string problem);
        Assert.Null(problem);
        Assert.Equal("lab", s.WifiSsid);
        Assert.Equal("b.example", s.BrokerHost); // "brokerhost" is not BrokerHost, as with nanoFramework.Json
        Assert.Equal(8883, s.BrokerPort);
        Assert.Equal(60, s.KeepAliveSeconds);
    }

    [Fact]
    public void A_missing_settings_file_is_reported_as_missing_and_left_for_the_core_to_word()
    {
        JsonSettingsFile file = SettingsWith(null);
        Assert.Null(file.Read(out string problem));
        Assert.Null(problem); // the core prints the same line as on the board
        Assert.Null(new JsonSettingsFile(Path.Combine(Artifacts.RunDirectory("settings"), "no-such-folder", "settings.json")).Read(out problem));
        Assert.Null(problem);
    }

    [Fact]
    public void Invalid_JSON_names_the_line_and_column()
    {
        Assert.Null(SettingsWith("{\n  \"WifiSsid\": \"lab\"\n  \"BrokerHost\": \"x\"\n}").Read(out string problem));
        Assert.Contains("line 3", problem);
        Assert.Contains("column", problem);
        Assert.DoesNotContain("\n", problem);
        // Numbers in quotes are read, as nanoFramework.Json reads them; words in place of a number are not, on either.
        Assert.Null(SettingsWith("{ \"BrokerPort\": \"eighty\" }").Read(out problem));
        Assert.Contains("BrokerPort", problem);
    }

    [Fact]
    public void Console_monitor_writes_a_char_buffer_slice_as_one_line()
    {
        var writer = new StringWriter();
        var monitor = new ConsoleMonitor(writer);
        monitor.WriteLine("first");
        monitor.WriteLine("Received on topic1: on....".ToCharArray(), 22);
        Assert.Equal("first" + Environment.NewLine + "Received on topic1: on" + Environment.NewLine, writer.ToString());
    }

    [Fact]
    public void Simulated_network_stores_once_joins_drops_and_restores_like_a_board()
    {
        var mac = new byte[] { 1, 2, 3, 4, 5, 6 };
        var net = new SimulatedNetwork(mac);
        mac[0] = 9;
        Assert.Equal(new byte[] { 1, 2, 3, 4, 5, 6 }, net.MacAddress);
        Assert.False(net.IsUp);
        Assert.False(net.IsStored("lab", "pw"));
        Assert.Equal(WifiConnectStatus.NetworkNotFound, net.Connect()); // nothing stored yet
        net.Store("lab", "pw");
        Assert.True(net.IsStored("lab", "pw"));
        Assert.False(net.IsStored("lab", "other"));
        Assert.Equal(WifiConnectStatus.Connected, net.Connect());
        Assert.True(net.IsUp);
        Assert.Equal(new[] { ("lab", SimulatedNetwork.AccessPointRssiDbm) }, net.Scan().Select(n => (n.Ssid, n.RssiDbm)));

        net.Drop();
        Assert.False(net.IsUp);
        Assert.Equal(WifiConnectStatus.NetworkNotFound, net.Connect());
        Assert.Empty(net.Scan()); // the access point is off: a board's scan would not see it

        net.Restore();
        Assert.Equal(WifiConnectStatus.Connected, net.Connect());
        net.FailConnectsWith(WifiConnectStatus.NoIpAddress);
        Assert.Equal(WifiConnectStatus.NoIpAddress, net.Connect());
        Assert.False(net.IsUp);
        Assert.Equal(1, net.StoreCount);
        Assert.Equal(5, net.JoinCount);
    }

    [Fact]
    public void Simulated_button_wakes_the_loop_on_press_and_release()
    {
        var wakeup = new Wakeup();
        var button = new SimulatedButton(wakeup);
        button.Press();
        Assert.True(button.IsDown);
        Assert.True(wakeup.Wait(0));
        button.Release();
        Assert.False(button.IsDown);
        Assert.True(wakeup.Wait(0));
        Assert.False(wakeup.Wait(0));
    }
}
