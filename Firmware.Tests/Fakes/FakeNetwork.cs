using IotyDevice.Core;

namespace Firmware.Tests.Fakes;

public sealed class FakeNetwork : INetwork
{
    public Queue<NetworkJoinResult> JoinResults { get; } = new();
    public bool IsUp { get; set; }
    public string LastErrorDetail { get; set; } = "";
    public byte[] MacAddress { get; set; } = { 0x24, 0x0A, 0xC4, 0x12, 0xAB, 0xFE };
    public List<(string Ssid, string Password)> Joins { get; } = new();

    public NetworkJoinResult Join(string ssid, string password)
    {
        Joins.Add((ssid, password));
        var result = JoinResults.Count > 0 ? JoinResults.Dequeue() : NetworkJoinResult.Joined;
        IsUp = result == NetworkJoinResult.Joined;
        return result;
    }
}
