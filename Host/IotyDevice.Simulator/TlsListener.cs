using System;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.Server.Kestrel.Https;
using Microsoft.Extensions.Hosting;

namespace IotyDevice.Simulator
{
    /// <summary>The embedded broker's TLS port (the board's way in), on Kestrel rather than MQTTnet's own TCP
    /// listener, which never gives up on a TLS handshake: a connection that has not finished its handshake within
    /// <see cref="HandshakeTimeout"/> is closed (MQTTnet's server then gives the CONNECT as long, see
    /// EmbeddedBroker). Loopback only: 127.0.0.1 and, where the OS has it, ::1 on the same port.</summary>
    internal sealed class TlsListener : IDisposable
    {
        public static readonly TimeSpan HandshakeTimeout = TimeSpan.FromSeconds(10);

        private readonly WebApplication _app;

        private TlsListener(WebApplication app, int port)
        {
            _app = app;
            Port = port;
        }

        public int Port { get; private set; }

        /// <summary>On <paramref name="port"/> (0 = any free port), or a free one when it is taken.</summary>
        public static TlsListener Start(int port, X509Certificate2 certificate, MqttListener mqtt)
        {
            // With both loopbacks first: if the port is taken on ::1 only, a free port on both beats it on 127.0.0.1
            // alone (the device's "localhost" could reach the other program on ::1). IPv4 alone is the last resort.
            bool[] families = Socket.OSSupportsIPv6 ? new[] { true, false } : new[] { false };
            Exception last = null;
            foreach (bool ipv6 in families)
            {
                foreach (int p in port == 0 ? new[] { 0, 0 } : new[] { port, 0 })
                {
                    int tryPort = p == 0 ? WebServer.FreeLoopbackPort() : p;
                    WebApplication app = Build(tryPort, ipv6, certificate, mqtt);
                    try
                    {
                        app.StartAsync().GetAwaiter().GetResult();
                        return new TlsListener(app, tryPort);
                    }
                    catch (Exception e) when (e is IOException || e is InvalidOperationException || e is SocketException)
                    {
                        last = e;
                        ((IDisposable)app).Dispose();
                    }
                }
            }
            throw new InvalidOperationException("the embedded broker could not listen on 127.0.0.1 (" + (last == null ? "?" : last.Message) + ")", last);
        }

        private static WebApplication Build(int port, bool ipv6, X509Certificate2 certificate, MqttListener mqtt)
        {
            WebApplicationBuilder builder = WebServer.QuietBuilder();
            builder.WebHost.ConfigureKestrel(kestrel =>
            {
                Action<ListenOptions> mqtts = listen =>
                {
                    listen.UseHttps(new HttpsConnectionAdapterOptions
                    {
                        ServerCertificate = certificate,
                        SslProtocols = SslProtocols.Tls12 | SslProtocols.Tls13,
                        HandshakeTimeout = HandshakeTimeout,
                    });
                    listen.Run(mqtt.OnConnectedAsync);
                };
                kestrel.Listen(IPAddress.Loopback, port, mqtts);
                if (ipv6) kestrel.Listen(IPAddress.IPv6Loopback, port, mqtts);
            });
            return builder.Build();
        }

        public void Dispose()
        {
            try
            {
                _app.StopAsync(TimeSpan.FromMilliseconds(300)).Wait(TimeSpan.FromMilliseconds(500));
            }
            catch (Exception)
            {
                // Shutting down anyway.
            }
            ((IDisposable)_app).Dispose();
        }
    }
}
