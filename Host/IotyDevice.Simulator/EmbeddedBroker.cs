using System;
using System.Threading.Tasks;
using MQTTnet.Protocol;
using MQTTnet.Server;

namespace IotyDevice.Simulator
{
    /// <summary>An MQTTnet broker inside the simulator, loopback only, one user with the generated password,
    /// persistent sessions (QoS 1 messages wait for a device that is away, as on HiveMQ Cloud). Two ways in: MQTT
    /// over TLS on its own port (the board's way), and MQTT over WebSockets through <see cref="WebSockets"/>, which
    /// the simulator's web server maps at /mqtt (the App Builder's way). Clients with an empty client ID and a clean
    /// session get one assigned, as on Mosquitto. What a stranger on this PC or a web page can send is bounded: packet
    /// sizes (<see cref="PacketSizeCap"/>), the time to finish the TLS handshake and to send the CONNECT.</summary>
    internal sealed class EmbeddedBroker : IDisposable
    {
        public const int DefaultPort = 8883;
        private const string OverWebSockets = "ioty-over-websockets";

        /// <summary>How long a client may take to send its CONNECT (the TLS handshake has as long before it).</summary>
        public static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(10);

        private readonly MqttServer _server;
        private readonly TlsListener _tls;

        public int Port { get { return _tls.Port; } }

        private EmbeddedBroker(MqttServer server, TlsListener tls, MqttListener webSockets)
        {
            _server = server;
            _tls = tls;
            WebSockets = webSockets;
        }

        /// <summary>The WebSocket listener: connections the web server hands it join this broker.</summary>
        public MqttListener WebSockets { get; private set; }

        /// <summary>Starts on <paramref name="port"/> (0 = any free port); if that port is taken, on a free one.
        /// Listens on 127.0.0.1 and, where the OS has it, ::1 too ("localhost" may resolve to either).</summary>
        public static EmbeddedBroker Start(int port, DevCertificates files, Action<string> say)
        {
            MqttServerOptions options = new MqttServerOptionsBuilder()
                .WithoutDefaultEndpoint() // the listeners are ASP.NET Core's: TlsListener and the web server's /mqtt
                .WithPersistentSessions(true)
                .WithDefaultCommunicationTimeout(ConnectTimeout)
                .Build();
            var tls = new MqttListener();
            var webSockets = new MqttListener();
            MqttServer server = Create(options, tls, webSockets, files, say);
            server.StartAsync().GetAwaiter().GetResult();
            try
            {
                return new EmbeddedBroker(server, TlsListener.Start(port, files.ServerCertificate, tls), webSockets);
            }
            catch (InvalidOperationException)
            {
                server.Dispose();
                throw;
            }
        }

        private static MqttServer Create(MqttServerOptions options, MqttListener tls, MqttListener webSockets, DevCertificates files, Action<string> say)
        {
            var listeners = new IMqttServerAdapter[] { new ClientIdAssigner(tls.Handler), new ClientIdAssigner(webSockets.Handler) };
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
            _tls.Dispose();
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
