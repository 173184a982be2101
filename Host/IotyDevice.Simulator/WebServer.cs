using System;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using MQTTnet.AspNetCore;

namespace IotyDevice.Simulator
{
    /// <summary>The simulator's one web server (ASP.NET Core's Kestrel), on loopback only: the embedded broker's MQTT
    /// over WebSockets at /mqtt, and the local App Builder page, both only for the Hosts and Origins
    /// <see cref="WebOrigins"/> lets in. Plain http/ws: browsers treat localhost as a secure
    /// origin, so no certificate has to be installed in a browser (README: "In a browser").</summary>
    internal sealed class WebServer : IDisposable
    {
        public const int DefaultPort = 8080;
        public const string MqttPath = "/mqtt";

        private readonly WebApplication _app;
        private readonly CancellationTokenSource _stopping;

        public int Port { get; private set; }

        private WebServer(WebApplication app, CancellationTokenSource stopping, int port)
        {
            _app = app;
            _stopping = stopping;
            Port = port;
        }

        /// <summary>Starts on <paramref name="port"/> (0 = any free port), or on a free port if that one is taken.
        /// <paramref name="mqtt"/> null: no WebSocket listener; <paramref name="page"/> null: no page.</summary>
        public static WebServer Start(int port, MqttListener mqtt, AppBuilderPage page, IEnumerable<string> allowedOrigins)
        {
            Exception last = null;
            for (int attempt = 0; attempt < 3; attempt++)
            {
                int tryPort = attempt == 0 && port != 0 ? port : FreeLoopbackPort();
                var stopping = new CancellationTokenSource();
                WebApplication app = Build(tryPort, mqtt, page, new WebOrigins(tryPort, allowedOrigins), stopping.Token);
                try
                {
                    app.StartAsync().GetAwaiter().GetResult();
                    return new WebServer(app, stopping, tryPort);
                }
                catch (Exception e) when (e is IOException || e is InvalidOperationException || e is SocketException)
                {
                    // Kestrel's AddressInUseException is an InvalidOperationException; the next try takes a free port.
                    last = e;
                    ((IDisposable)app).Dispose();
                    stopping.Dispose();
                }
            }
            throw new InvalidOperationException("the web server could not listen on localhost (" + (last == null ? "?" : last.Message) + ")", last);
        }

        private static WebApplication Build(int port, MqttListener mqtt, AppBuilderPage page, WebOrigins origins, CancellationToken stopping)
        {
            WebApplicationBuilder builder = QuietBuilder();
            // "localhost": 127.0.0.1 and ::1, never another interface.
            builder.WebHost.ConfigureKestrel(kestrel => kestrel.ListenLocalhost(port));
            if (mqtt != null)
            {
                builder.Services.AddConnections();
                builder.Services.AddSingleton(mqtt);
            }
            WebApplication app = builder.Build();
            app.Use(async (context, next) =>
            {
                if (!WebOrigins.IsLocalHost(context.Request.Host.Host)
                    || context.Request.Path.StartsWithSegments(MqttPath) && !origins.Allows(context.Request.Headers.Origin.ToString()))
                {
                    context.Response.StatusCode = StatusCodes.Status403Forbidden;
                    return;
                }
                await next(context);
            });
            if (mqtt != null)
            {
                app.MapConnectionHandler<MqttListener>(MqttPath, options =>
                {
                    options.Transports = HttpTransportType.WebSockets;
                    // Browsers' MQTT clients ask for the "mqtt" subprotocol and drop a connection that does not get it.
                    options.WebSockets.SubProtocolSelector = MqttSubProtocolSelector.SelectSubProtocol;
                });
            }
            if (page != null) page.Map(app, stopping);
            return app;
        }

        /// <summary>An ASP.NET Core host that logs nothing and leaves Ctrl+C and SIGTERM to the simulator.</summary>
        internal static WebApplicationBuilder QuietBuilder()
        {
            WebApplicationBuilder builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ContentRootPath = AppContext.BaseDirectory });
            builder.Logging.ClearProviders();
            builder.Services.AddSingleton<IHostLifetime, QuietLifetime>();
            return builder;
        }

        internal static int FreeLoopbackPort()
        {
            var probe = new TcpListener(IPAddress.Loopback, 0);
            probe.Start();
            int free = ((IPEndPoint)probe.LocalEndpoint).Port;
            probe.Stop();
            return free;
        }

        public void Dispose()
        {
            _stopping.Cancel(); // ends the page's event streams at once
            try
            {
                _app.StopAsync(TimeSpan.FromMilliseconds(300)).Wait(TimeSpan.FromMilliseconds(500));
            }
            catch (Exception)
            {
                // Shutting down anyway.
            }
            ((IDisposable)_app).Dispose();
            _stopping.Dispose();
        }

        private sealed class QuietLifetime : IHostLifetime
        {
            public Task WaitForStartAsync(CancellationToken cancellationToken) { return Task.CompletedTask; }

            public Task StopAsync(CancellationToken cancellationToken) { return Task.CompletedTask; }
        }
    }
}
