using System.Linq;
using Board.Models;
using IotyDevice.Core;
using IotyDevice.Firmware;
using Xunit;

namespace Board.Tests.Adapters
{
    /// <summary>Firmware/Device/WifiNetwork.cs on the models of System.Device.Wifi, System.Net and the ESP32's WiFi
    /// native code (Models/Esp32Wifi.cs).</summary>
    public sealed class WifiNetworkOnModelTests
    {
        private static WifiNetwork Network() => new WifiNetwork(new Wakeup());

        [Fact]
        public void A_first_join_stores_the_configuration_once_and_waits_for_the_address()
        {
            BoardModels.Reset();
            WifiNetwork network = Network();
            Assert.False(network.IsStored(BoardModels.Ssid, BoardModels.WifiPassword));
            network.Store(BoardModels.Ssid, BoardModels.WifiPassword);

            Assert.Equal(WifiConnectStatus.Connected, network.Connect());
            Assert.True(network.IsUp);
            Assert.True(network.IsStored(BoardModels.Ssid, BoardModels.WifiPassword));
            Assert.Equal(1, Esp32Wifi.FlashWrites);
            Assert.Equal(new byte[] { 0x24, 0x0A, 0xC4, 0x12, 0xAB, 0xFE }, network.MacAddress);
        }

        [Fact]
        public void After_a_failed_join_the_scan_still_runs_and_sees_the_networks_in_range()
        {
            BoardModels.Reset();
            Esp32Wifi.AccessPoints.Single().InRange = false;
            Esp32Wifi.AccessPoints.Add(new AccessPoint { Ssid = "Neighbours", Password = "x", RssiDbm = -70 });
            WifiNetwork network = Network();
            network.Store(BoardModels.Ssid, BoardModels.WifiPassword);
            Assert.Equal(WifiConnectStatus.NetworkNotFound, network.Connect());

            // The driver now retries by itself; a scan started meanwhile is refused as busy.
            ScannedNetwork[] seen = network.Scan();
            Assert.Equal(new[] { "Neighbours" }, seen.Select(n => n.Ssid));
            Assert.Equal(-70, seen[0].RssiDbm);
        }

        [Fact]
        public void A_corrected_password_joins_although_the_first_disconnect_after_the_store_is_the_old_attempts()
        {
            // The board kept the old, wrong password: at power-on it keeps trying with it (reason 15 each time).
            BoardModels.Reset(BoardModels.Ssid, "old password");
            BoardTime.Advance(4000);
            WifiNetwork network = Network();
            Assert.False(network.IsStored(BoardModels.Ssid, BoardModels.WifiPassword));
            network.Store(BoardModels.Ssid, BoardModels.WifiPassword);

            Assert.Equal(WifiConnectStatus.Connected, network.Connect());
        }

        [Fact]
        public void When_the_stored_configuration_already_matches_the_join_the_board_started_at_power_on_is_awaited_not_interrupted()
        {
            BoardModels.Reset(BoardModels.Ssid, BoardModels.WifiPassword);
            BoardTime.Advance(300);
            WifiNetwork network = Network();
            Assert.True(network.IsStored(BoardModels.Ssid, BoardModels.WifiPassword));

            Assert.Equal(WifiConnectStatus.Connected, network.Connect());
            Assert.Equal(1, Esp32Wifi.Attempts);
            Assert.Equal(0, Esp32Wifi.FlashWrites);
        }

        [Fact]
        public void A_wrong_password_is_reported_as_refused()
        {
            BoardModels.Reset();
            WifiNetwork network = Network();
            network.Store(BoardModels.Ssid, "wrong");
            Assert.Equal(WifiConnectStatus.Refused, network.Connect());
        }
    }
}
