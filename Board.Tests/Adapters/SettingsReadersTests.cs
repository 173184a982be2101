using System;
using System.IO;
using System.Text;
using IotyDevice.Core;
using IotyDevice.Firmware;
using IotyDevice.Host.Settings;
using Xunit;

namespace Board.Tests.Adapters
{
    /// <summary>settings.json read by the board (Firmware/Device/SettingsFile.cs on the model of nanoFramework.Json
    /// 2.2.203) and by the PC (Host/IotyDevice.Host/Settings/JsonSettingsFile.cs): the same file gives the same settings,
    /// or a problem on both.</summary>
    public sealed class SettingsReadersTests : IDisposable
    {
        private const string Valid = "\"WifiSsid\": \"ClassroomWiFi\", \"WifiPassword\": \"wifi-secret\", \"BrokerHost\": \"abc.hivemq.cloud\", "
                                     + "\"BrokerUsername\": \"student\", \"BrokerPassword\": \"broker-secret\"";

        private readonly string _folder = Path.Combine(Path.GetTempPath(), "settings-readers-" + Guid.NewGuid().ToString("N"));

        public SettingsReadersTests()
        {
            Directory.CreateDirectory(_folder);
            Board.Models.BoardModels.Reset();
        }

        public void Dispose() => Directory.Delete(_folder, true);

        public static TheoryData<string, string> Files => new TheoryData<string, string>
        {
            { "plain", "{" + Valid + "}" },
            { "with a UTF-8 BOM", "\uFEFF{" + Valid + "}" },
            { "a text set to null", "{" + Valid + ", \"ClientIdPrefix\": null}" },
            { "the first member null", "{\"StatusTopic\": null, " + Valid + "}" },
            { "a number set to null", "{" + Valid + ", \"BrokerPort\": null, \"PublishQos\": 1}" },
            { "a number in quotes", "{" + Valid + ", \"BrokerPort\": \"8884\"}" },
            { "a password ending with a quote", "{" + Valid.Replace("wifi-secret", "wifi-secret\\\"") + "}" },
            { "a password starting with a quote", "{" + Valid.Replace("wifi-secret", "\\\"wifi-secret") + "}" },
            { "an unknown member", "{" + Valid + ", \"Extra\": 1}" },
            { "a name in the wrong case", "{" + Valid + ", \"brokerport\": 1}" },
            { "true in quotes", "{" + Valid + ", \"PublishRetain\": \"true\"}" },
        };

        [Theory]
        [MemberData(nameof(Files))]
        public void The_board_and_the_PC_read_the_same_file_the_same_way(string what, string text)
        {
            string path = Path.Combine(_folder, "settings.json");
            File.WriteAllBytes(path, Encoding.UTF8.GetBytes(text));

            DeviceSettings board = new SettingsFile(path).Read(out string boardProblem);
            DeviceSettings host = new JsonSettingsFile(path).Read(out string hostProblem);

            Assert.True((board == null) == (host == null), what + ": board " + (boardProblem ?? "read it") + " / PC " + (hostProblem ?? "read it"));
            if (board != null)
            {
                Assert.Equal(System.Text.Json.JsonSerializer.Serialize(host), System.Text.Json.JsonSerializer.Serialize(board));
            }
            else
            {
                Assert.NotNull(boardProblem);
                Assert.NotNull(hostProblem);
            }
        }

        [Fact]
        public void On_the_board_null_keeps_the_default_and_a_BOM_is_no_problem()
        {
            string path = Path.Combine(_folder, "settings.json");
            File.WriteAllBytes(path, Encoding.UTF8.GetBytes("\uFEFF{" + Valid + ", \"StatusTopic\": null}"));

            DeviceSettings settings = new SettingsFile(path).Read(out string problem);

            Assert.Null(problem);
            Assert.Equal(new DeviceSettings().StatusTopic, settings.StatusTopic);
            Assert.Equal("wifi-secret", settings.WifiPassword);
        }
    }
}
