using System.Security.Cryptography.X509Certificates;
using MQTTnet;

namespace IotyDevice.TestKit;

/// <summary>The project's one <see cref="AppPeer"/> (Host/IotyDevice.Host/Mqtt/AppPeer.cs, also the simulator's App
/// Builder side), connected the way the tests and benchmarks need it: to a TestKit broker as its app user.</summary>
public static class AppPeers
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

    /// <summary>Connects as the app user of a TestKit broker; throws unless the broker accepts.</summary>
    public static AppPeer Connect(MosquittoBroker broker, string clientId = null, string host = "localhost")
    {
        (AppPeer peer, MqttClientConnectResultCode result) = TryConnect(broker.Port, MosquittoBroker.AppUser, MosquittoBroker.AppPassword,
            TestPki.Instance.CaPem, clientId, host);
        if (result != MqttClientConnectResultCode.Success)
        {
            peer.Dispose();
            throw new InvalidOperationException("the app peer could not connect: " + result);
        }
        return peer;
    }

    /// <summary>Connects over TLS to any broker on this machine, trusting <paramref name="caPem"/>; returns the CONNACK
    /// result (a refusal is a result, not an exception; the caller disposes the peer either way).</summary>
    public static (AppPeer Peer, MqttClientConnectResultCode Result) TryConnect(int port, string user, string password, string caPem,
        string clientId = null, string host = "localhost")
    {
        var trust = new X509Certificate2Collection();
        trust.ImportFromPemFile(caPem);
        return AppPeer.TryConnect(host, port, user, password, trust, clientId ?? "app-" + Guid.NewGuid().ToString("N")[..8], ConnectTimeout);
    }
}
