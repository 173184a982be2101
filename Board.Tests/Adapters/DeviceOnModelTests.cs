using System.Device.Wifi;
using System.Linq;
using Board.Models;
using IotyDevice.Core;
using Xunit;

namespace Board.Tests.Adapters
{
    /// <summary>The whole firmware on the models: the core driving every board adapter.</summary>
    public sealed class DeviceOnModelTests
    {
        [Fact]
        public void A_200_KB_qos1_message_is_withheld_by_the_broker_and_the_board_stays_connected_and_prints_the_next()
        {
            BoardModels.Reset();
            BoardMemory.FreeBytes = 60 * 1024; // a board without PSRAM: the 200 KB packet could never be received
            using var board = new BoardRig();
            board.Run(20000, () => board.Monitor.Count("MQTT: subscribed to topic1") > 0);

            BoardModels.Broker.Send("topic1", new byte[200 * 1024], 1);
            BoardModels.Broker.Send("topic1", "after", 1);
            board.Run(5000, () => board.Monitor.Count("Received on topic1: after") > 0);

            Assert.Equal(1, BoardModels.Broker.Withheld);
            Assert.Equal(1, board.Monitor.Count("Received on topic1: after"));
            Assert.Equal(ConnectionState.Online, board.Device.State);
            Assert.Equal(1, BoardModels.Broker.Connects);
        }

        [Fact]
        public void The_second_line_names_the_runtime_version_and_the_image_the_board_reports()
        {
            BoardModels.Reset();
            using var board = new BoardRig();

            Assert.Equal("IotyDevice: starting", board.Monitor.All[0]);
            Assert.Equal("Runtime: nanoFramework 1.17.0.32, image ESP32_REV0 (ESP32)", board.Monitor.All[1]);
        }

        [Fact]
        public void A_day_of_retries_without_the_access_point_makes_one_wifi_adapter_one_flash_write_and_names_the_networks_in_range()
        {
            BoardModels.Reset();
            Esp32Wifi.AccessPoints.Single().InRange = false;
            Esp32Wifi.AccessPoints.Add(new AccessPoint { Ssid = "Neighbours", Password = "x", RssiDbm = -70 });
            using var board = new BoardRig();

            board.Run(24L * 60 * 60 * 1000);

            Assert.True(Esp32Wifi.Attempts >= 1400, "a day of retries at most 60 s apart, got " + Esp32Wifi.Attempts);
            Assert.Equal(1, WifiAdapter.Registered);
            Assert.Equal(1, Esp32Wifi.FlashWrites);
            Assert.Contains("WiFi: no network named \"ClassroomWiFi\" in range; networks seen: Neighbours (-70 dBm) (ESP32 sees only 2.4 GHz; names are case-sensitive)",
                board.Monitor.All);

            // The access point comes back: the same adapter joins, and MQTT connects.
            Esp32Wifi.AccessPoints[0].InRange = true;
            board.Run(120_000, () => board.Device.State == ConnectionState.Online);
            Assert.Equal(ConnectionState.Online, board.Device.State);
            Assert.Equal(1, WifiAdapter.Registered);
        }
    }
}
