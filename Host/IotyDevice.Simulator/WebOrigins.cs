using System;
using System.Collections.Generic;

namespace IotyDevice.Simulator
{
    /// <summary>Who may reach the simulator's web server. Every request must name this machine in its Host header
    /// (another name is a DNS-rebinding attempt). A WebSocket upgrade at /mqtt, which a browser lets any web page
    /// open, must also come from an origin a learner uses: the simulator's own page, a client that is not a web page
    /// (no Origin, or one naming localhost, as paho-mqtt sends), the IoTy MQTT App Builder's site, or one the
    /// learner added with --allow-origin. Anything else gets 403.</summary>
    internal sealed class WebOrigins
    {
        /// <summary>The real IoTy MQTT App Builder, which must keep working against the simulator.</summary>
        public const string AppBuilderSite = "https://ioty-mqtt.a9i.sg";

        private readonly HashSet<string> _allowed = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

        public WebOrigins(int webPort, IEnumerable<string> added)
        {
            _allowed.Add("http://127.0.0.1:" + webPort);
            _allowed.Add("http://[::1]:" + webPort);
            _allowed.Add(AppBuilderSite);
            foreach (string origin in added) _allowed.Add(Normal(origin));
        }

        public static bool IsLocalHost(string host)
        {
            return host == "localhost" || host == "127.0.0.1" || host == "[::1]" || host == "::1";
        }

        /// <summary>True for an upgrade from <paramref name="origin"/> (null or empty: no Origin header).</summary>
        public bool Allows(string origin)
        {
            if (string.IsNullOrEmpty(origin)) return true;
            Uri uri;
            if (Uri.TryCreate(origin, UriKind.Absolute, out uri) && string.Equals(uri.Host, "localhost", StringComparison.OrdinalIgnoreCase))
                return true;
            return _allowed.Contains(Normal(origin));
        }

        /// <summary>What --allow-origin accepts: scheme://host[:port] as a browser sends it; null when it is not one.</summary>
        public static string Check(string origin)
        {
            Uri uri;
            return Uri.TryCreate(origin, UriKind.Absolute, out uri) && (uri.Scheme == "http" || uri.Scheme == "https")
                && uri.AbsolutePath == "/" && string.IsNullOrEmpty(uri.Query) && string.IsNullOrEmpty(uri.UserInfo)
                ? Normal(origin) : null;
        }

        private static string Normal(string origin)
        {
            return origin.TrimEnd('/');
        }
    }
}
