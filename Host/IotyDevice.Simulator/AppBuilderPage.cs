using System;
using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Json;
using System.Threading;
using System.Threading.Channels;
using System.Threading.Tasks;
using IotyDevice.Core;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace IotyDevice.Simulator
{
    /// <summary>The local App Builder page: a Switch, a Display, a status lamp, the board's monitor and its BOOT
    /// button, in the browser. The page does not speak MQTT itself: it drives the simulator's App Builder peer
    /// (<see cref="AppBuilderSide"/>) through Server-Sent Events (what the peer receives, the monitor lines) and small JSON
    /// POSTs (publish, watch a topic, press BOOT), so it works the same against the embedded broker and against the
    /// broker in --settings. Every payload goes to the page as JSON text and is shown with textContent.</summary>
    internal sealed class AppBuilderPage
    {
        private const int HistoryLines = 400;
        private const int MaxTextChars = 2000;
        private const int MaxTopicChars = 200;

        private static readonly JsonSerializerOptions Json = new JsonSerializerOptions { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

        private readonly object _gate = new object();
        private readonly Queue<string> _lines = new Queue<string>();
        private readonly Dictionary<string, string> _lastMessage = new Dictionary<string, string>(StringComparer.Ordinal);
        private readonly List<Channel<string>> _clients = new List<Channel<string>>();
        private readonly TaskCompletionSource<string> _setup = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        private string _lastApp;
        private AppBuilderSide _peer;
        private Commands _commands;

        /// <summary>Keeps every line the terminal prints from now on (the monitor pane shows the board's).</summary>
        public AppBuilderPage(Terminal terminal)
        {
            terminal.LinePrinted += OnLine;
        }

        /// <summary>Called once the peer and the commands exist; until then the page waits.</summary>
        public void Attach(DeviceSettings settings, LessonTopics topics, string chipId, AppBuilderSide peer, Commands commands)
        {
            _peer = peer;
            _commands = commands;
            peer.MessageArrived += OnMessage;
            string clientId = settings.ClientIdPrefix + chipId;
            string status = string.IsNullOrEmpty(settings.StatusTopic) ? "" : settings.StatusTopic.Replace(DeviceSettings.ClientIdPlaceholder, clientId);
            _setup.TrySetResult(JsonSerializer.Serialize(new
            {
                type = "setup",
                chipId = clientId,
                broker = settings.BrokerHost + ":" + settings.BrokerPort,
                switchTopic = topics.Subscribed.Length > 0 ? topics.Subscribed[0] : "",
                displayTopic = topics.PressTopic ?? "",
                publishPayload = topics.PressText ?? "nothing",
                statusTopic = status,
            }, Json));
        }

        public void Map(WebApplication app, CancellationToken stopping)
        {
            app.Use(async (context, next) =>
            {
                // The web server already refused other Hosts (WebOrigins).
                context.Response.Headers["X-Content-Type-Options"] = "nosniff";
                context.Response.Headers["Content-Security-Policy"] = "default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'";
                await next(context);
            });
            app.MapGet("/", context => Resource(context, "index.html", "text/html; charset=utf-8"));
            app.MapGet("/app.js", context => Resource(context, "app.js", "text/javascript; charset=utf-8"));
            app.MapGet("/app.css", context => Resource(context, "app.css", "text/css; charset=utf-8"));
            // The page links the icon; /favicon.ico is where browsers (and other clients) look without a link.
            app.MapGet("/favicon.svg", context => Resource(context, "favicon.svg", "image/svg+xml"));
            app.MapGet("/favicon.ico", context => Resource(context, "favicon.svg", "image/svg+xml"));
            app.MapGet("/events", context => Events(context, stopping));
            app.MapPost("/api/publish", context => Post(context, body =>
            {
                string topic = Field(body, "topic");
                if (!ValidTopic(topic)) return "a topic without + or #, e.g. topic1";
                return _peer.Publish(topic, Field(body, "text") ?? "", stopping) ? null : "not sent: see the simulator's terminal";
            }));
            app.MapPost("/api/watch", context => Post(context, body =>
            {
                string topic = Field(body, "topic");
                // One topic per widget, as in IoTy: the page matches messages to widgets by their exact topic.
                if (!ValidTopic(topic)) return "a topic without + or #, e.g. topic2";
                _peer.Watch(topic);
                return null;
            }));
            app.MapPost("/api/boot", context => Post(context, body =>
            {
                _commands.PressBoot();
                return null;
            }));
        }

        private static bool ValidTopic(string topic)
        {
            return !string.IsNullOrEmpty(topic) && topic.Length <= MaxTopicChars && topic.IndexOf('+') < 0 && topic.IndexOf('#') < 0;
        }

        private static string Field(JsonElement body, string name)
        {
            JsonElement value;
            return body.ValueKind == JsonValueKind.Object && body.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.String
                ? value.GetString() : null;
        }

        /// <summary>A JSON POST from the page: {"ok":true} or {"ok":false,"error":...}. Only application/json is
        /// accepted, which another web site's page cannot send here without a CORS preflight this server never grants.</summary>
        private async Task Post(HttpContext context, Func<JsonElement, string> action)
        {
            if (!context.Request.HasJsonContentType())
            {
                context.Response.StatusCode = StatusCodes.Status415UnsupportedMediaType;
                return;
            }
            JsonElement body;
            try
            {
                body = await JsonSerializer.DeserializeAsync<JsonElement>(context.Request.Body, cancellationToken: context.RequestAborted);
            }
            catch (JsonException)
            {
                context.Response.StatusCode = StatusCodes.Status400BadRequest;
                return;
            }
            if (!_setup.Task.IsCompleted)
            {
                await WriteJson(context, StatusCodes.Status503ServiceUnavailable, "the simulator is still starting");
                return;
            }
            // The peer's publish and a BOOT press block (up to a few seconds); not on the server's own threads.
            string error = await Task.Run(() => action(body));
            await WriteJson(context, error == null ? StatusCodes.Status200OK : StatusCodes.Status400BadRequest, error);
        }

        private static Task WriteJson(HttpContext context, int status, string error)
        {
            context.Response.StatusCode = status;
            context.Response.ContentType = "application/json";
            return context.Response.WriteAsync(error == null ? "{\"ok\":true}" : JsonSerializer.Serialize(new { ok = false, error }, Json));
        }

        private static async Task Resource(HttpContext context, string name, string contentType)
        {
            using (Stream stream = typeof(AppBuilderPage).Assembly.GetManifestResourceStream("web/" + name))
            {
                context.Response.ContentType = contentType;
                context.Response.Headers.CacheControl = "no-store";
                await stream.CopyToAsync(context.Response.Body, context.RequestAborted);
            }
        }

        /// <summary>Server-Sent Events: the setup (topics, chip ID), what happened so far, then everything live.</summary>
        private async Task Events(HttpContext context, CancellationToken stopping)
        {
            using (CancellationTokenSource done = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, stopping))
            {
                context.Response.ContentType = "text/event-stream";
                context.Response.Headers.CacheControl = "no-store";
                string setup;
                try
                {
                    setup = await _setup.Task.WaitAsync(TimeSpan.FromSeconds(30), done.Token);
                }
                catch (Exception e) when (e is TimeoutException || e is OperationCanceledException)
                {
                    return;
                }
                Channel<string> client = Channel.CreateBounded<string>(new BoundedChannelOptions(2000) { FullMode = BoundedChannelFullMode.DropOldest });
                var first = new List<string> { setup };
                lock (_gate)
                {
                    first.AddRange(_lines);
                    first.AddRange(_lastMessage.Values);
                    if (_lastApp != null) first.Add(_lastApp);
                    _clients.Add(client);
                }
                try
                {
                    foreach (string e in first) await Send(context, e, done.Token);
                    while (await client.Reader.WaitToReadAsync(done.Token))
                    {
                        string e;
                        while (client.Reader.TryRead(out e)) await Send(context, e, done.Token);
                    }
                }
                catch (Exception e) when (e is OperationCanceledException || e is IOException)
                {
                    // The page was closed or the simulator stops.
                }
                finally
                {
                    lock (_gate) _clients.Remove(client);
                }
            }
        }

        private static async Task Send(HttpContext context, string json, CancellationToken cancel)
        {
            // JSON never holds a raw line break, so one "data:" line carries one event.
            await context.Response.WriteAsync("data: " + json + "\n\n", cancel);
            await context.Response.Body.FlushAsync(cancel);
        }

        /// <summary>Every terminal line: the board's own lines for the monitor pane, the App Builder client's
        /// connection lines for the page's header; [sim] lines and the client's message lines stay in the terminal
        /// (the page shows those messages in its widgets).</summary>
        private void OnLine(string line)
        {
            bool app = line.StartsWith("[app] ", StringComparison.Ordinal);
            if (line.StartsWith("[sim]", StringComparison.Ordinal) || app && !IsConnectionLine(line.Substring(6))) return;
            string json = JsonSerializer.Serialize(new { type = app ? "app" : "line", text = Cut(app ? line.Substring(6) : line) }, Json);
            lock (_gate)
            {
                if (app) _lastApp = json;
                else
                {
                    _lines.Enqueue(json);
                    if (_lines.Count > HistoryLines) _lines.Dequeue();
                }
                Broadcast(json);
            }
        }

        private static bool IsConnectionLine(string text)
        {
            return text.StartsWith("connected to ", StringComparison.Ordinal) || text.StartsWith("lost the connection", StringComparison.Ordinal)
                || text.StartsWith("cannot connect", StringComparison.Ordinal) || text.StartsWith("not connected", StringComparison.Ordinal);
        }

        private void OnMessage(string topic, byte[] payload, bool retained)
        {
            // Invalid UTF-8 becomes U+FFFD, as on the board's monitor.
            string text = Encoding.UTF8.GetString(payload);
            string json = JsonSerializer.Serialize(new { type = "message", topic, text = Cut(text), bytes = payload.Length, cut = text.Length > MaxTextChars, retained }, Json);
            lock (_gate)
            {
                if (_lastMessage.ContainsKey(topic) || _lastMessage.Count < 100) _lastMessage[topic] = json;
                Broadcast(json);
            }
        }

        private void Broadcast(string json)
        {
            foreach (Channel<string> client in _clients) client.Writer.TryWrite(json);
        }

        private static string Cut(string text)
        {
            return text.Length <= MaxTextChars ? text : text.Substring(0, MaxTextChars);
        }
    }
}
