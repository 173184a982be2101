using System;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Threading.Tasks;
using MQTTnet.AspNetCore;
using MQTTnet.Protocol;
using MQTTnet.Server;
using MQTTnet.Server.Internal.Adapter;

namespace IotyDevice.Simulator
{
    /// <summary>An MQTTnet broker inside the simulator, loopback only, one user with the generated password,
    /// persistent sessions (QoS 1 messages wait for a device that is away, as on HiveMQ Cloud). Two ways in: MQTT
    /// over TLS on its own port (the board's way), and MQTT over WebSockets through <see cref="WebSockets"/>, which
    /// the simulator's web server maps at /mqtt (the App Builder's way). Clients with an empty client ID and a clean
    /// session get one assigned, as on Mosquitto.</summary>
    internal sealed class EmbeddedBroker : IDisposable
    {
        public const int DefaultPort = 8883;
        private const string OverWebSockets = "ioty-over-websockets";

        private readonly MqttServer _server;

        public int Port { get; private set; }

        private EmbeddedBroker(MqttServer server, int port, MqttConnectionHandler webSockets)
        {
            _server = server;
            Port = port;
            WebSockets = webSockets;
        }

        /// <summary>The WebSocket listener: connections the web server hands it join this broker.</summary>
        public MqttConnectionHandler WebSockets { get; private set; }

        /// <summary>Starts on <paramref name="port"/> (0 = any free port); if that port is taken, on a free one.
        /// Listens on 127.0.0.1 and, where the OS has it, ::1 too ("localhost" may resolve to either).</summary>
        public static EmbeddedBroker Start(int port, DevCertificates files, Action<string> say)
        {
            // With both loopbacks first: if 8883 is taken on ::1 only, a free port on both beats 8883 on 127.0.0.1
            // alone (the device's "localhost" could reach the other program on ::1). IPv4 alone is the last resort.
            int[] ports = port == 0 ? new[] { 0 } : new[] { port, 0 };
            bool[] families = Socket.OSSupportsIPv6 ? new[] { true, false } : new[] { false };
            Exception last = null;
            foreach (bool ipv6 in families)
            {
                foreach (int p in ports)
                {
                    MqttServerOptions options = Options(p, ipv6, files);
                    var webSockets = new MqttConnectionHandler();
                    MqttServer server = Create(options, webSockets, files, say);
                    try
                    {
                        server.StartAsync().GetAwaiter().GetResult();
                        // The listener writes the port the OS chose back into the endpoint options.
                        return new EmbeddedBroker(server, options.TlsEndpointOptions.Port, webSockets);
                    }
                    catch (SocketException e)
                    {
                        last = e;
                        server.Dispose();
                    }
                }
            }
            throw new InvalidOperationException("the embedded broker could not listen on 127.0.0.1 (" + (last == null ? "?" : last.Message) + ")", last);
        }

        private static MqttServerOptions Options(int port, bool ipv6, DevCertificates files)
        {
            return new MqttServerOptionsBuilder()
                .WithoutDefaultEndpoint()
                .WithEncryptedEndpoint()
                .WithEncryptedEndpointBoundIPAddress(IPAddress.Loopback)
                .WithEncryptedEndpointBoundIPV6Address(ipv6 ? IPAddress.IPv6Loopback : IPAddress.None)
                .WithEncryptedEndpointPort(port)
                .WithEncryptionCertificate(files.ServerCertificate)
                .WithEncryptionSslProtocol(SslProtocols.Tls12 | SslProtocols.Tls13)
                .WithPersistentSessions(true)
                .Build();
        }

        private static MqttServer Create(MqttServerOptions options, MqttConnectionHandler webSockets, DevCertificates files, Action<string> say)
        {
            var listeners = new IMqttServerAdapter[] { new ClientIdAssigner(new MqttTcpServerAdapter()), new ClientIdAssigner(webSockets) };
            MqttServer server = new MqttServerFactory().CreateMqttServer(options, listeners);
            server.ValidatingConnectionAsync += e =>
            {
                if (e.UserName != DevCertificates.UserName || e.Password != files.Password)
                {
                    e.ReasonCode = MqttConnectReasonCode.BadUserNameOrPassword;
                    say("broker: refused client '" + e.ClientId + "': wrong user name or password");
                }
                // The board's way in is TLS; the only plain one is /mqtt on the web server: a browser's App Builder.
                e.SessionItems[OverWebSockets] = !e.IsSecureConnection;
                return Task.CompletedTask;
            };
            // Arrivals and departures over WebSockets, so "the page never reached the broker" reads differently from
            // "it reached it with a wrong password" (the line above).
            server.ClientConnectedAsync += e =>
            {
                if (IsOverWebSockets(e.SessionItems)) say("App Builder " + e.ClientId + " connected over WebSockets");
                return Task.CompletedTask;
            };
            server.ClientDisconnectedAsync += e =>
            {
                if (IsOverWebSockets(e.SessionItems)) say("App Builder " + e.ClientId + " disconnected from WebSockets");
                return Task.CompletedTask;
            };
            return server;
        }

        private static bool IsOverWebSockets(System.Collections.IDictionary items)
        {
            return items != null && items[OverWebSockets] is bool webSockets && webSockets;
        }

        public void Dispose()
        {
            try
            {
                Task stop = _server.StopAsync(new MqttServerStopOptionsBuilder().Build());
                stop.Wait(TimeSpan.FromMilliseconds(500));
            }
            catch (Exception)
            {
                // Shutting down anyway; the listener socket is closed by Dispose below.
            }
            _server.Dispose();
        }
    }
}
