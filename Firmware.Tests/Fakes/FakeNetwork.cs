using IotyDevice.Core;

namespace Firmware.Tests.Fakes;

/// <summary>A board's WiFi: a stored configuration whose writes are counted (flash wear), connect results
/// queued by the test, and what a scan sees.</summary>
public sealed class FakeNetwork : INetwork
{
    public Queue<WifiConnectStatus> ConnectResults { get; } = new();
    public bool IsUp { get; set; }
    public byte[] MacAddress { get; set; } = { 0x24, 0x0A, 0xC4, 0x12, 0xAB, 0xFE };

    public string StoredSsid { get; set; }
    public string StoredPassword { get; set; }

    /// <summary>Flash writes of the WiFi configuration.</summary>
    public int Stores { get; private set; }

    /// <summary>Each connect, with the configuration stored at that moment.</summary>
    public List<(string Ssid, string Password)> Joins { get; } = new();

    public int Scans { get; private set; }

    /// <summary>What the next scans see; null makes Scan throw, as a busy radio does.</summary>
    public List<ScannedNetwork> InRange { get; set; } = new();

    public bool IsStored(string ssid, string password) => StoredSsid == ssid && StoredPassword == password;

    /// <summary>Thrown by the next Store (then cleared), as a platform fault would be.</summary>
    public Exception StoreFault { get; set; }

    public void Store(string ssid, string password)
    {
        if (StoreFault != null)
        {
            var fault = StoreFault;
            StoreFault = null;
            throw fault;
        }

        Stores++;
        StoredSsid = ssid;
        StoredPassword = password;
    }

    public WifiConnectStatus Connect()
    {
        Joins.Add((StoredSsid, StoredPassword));
        var result = ConnectResults.Count > 0 ? ConnectResults.Dequeue() : WifiConnectStatus.Connected;
        IsUp = result == WifiConnectStatus.Connected;
        return result;
    }

    public ScannedNetwork[] Scan()
    {
        Scans++;
        if (InRange == null) throw new InvalidOperationException("scan busy");
        return InRange.ToArray();
    }
}
