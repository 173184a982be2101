namespace IotyDevice.Core
{
    /// <summary>Decides what a failed WiFi join tells the learner, from the facts the board gathered: how the
    /// connect ended and, for the cases a scan can explain, which networks are in range. Pure: no port, no time.</summary>
    public static class WifiDiagnosis
    {
        /// <summary>At or below this the link is unreliable: ESP32 loses handshakes and beacons there.</summary>
        public const int WeakSignalDbm = -80;

        /// <summary>How many of the networks seen a line lists.</summary>
        public const int MaxNetworksListed = 4;

        /// <summary>True when a scan can tell the learner more than the connect status alone.</summary>
        public static bool NeedsScan(WifiConnectStatus status)
        {
            return status == WifiConnectStatus.NetworkNotFound || status == WifiConnectStatus.Refused
                   || status == WifiConnectStatus.TimedOut || status == WifiConnectStatus.Failed;
        }

        /// <param name="ssid">The network the settings name.</param>
        /// <param name="status">How the connect ended (not Connected).</param>
        /// <param name="scan">The networks in range, or null when no scan was made or it failed.</param>
        /// <param name="detail">The platform's words for a <see cref="WifiConnectStatus.Failed"/>, or null.</param>
        public static string Describe(string ssid, WifiConnectStatus status, ScannedNetwork[] scan, string detail)
        {
            string quoted = "\"" + ssid + "\"";
            switch (status)
            {
                case WifiConnectStatus.NoIpAddress:
                    return "WiFi: joined " + quoted + " but got no IP address (DHCP); check the router";
                case WifiConnectStatus.NoAdapter:
                    return "WiFi: this board reports no WiFi interface; flash an ESP32 WiFi image with nanoff";
            }

            ScannedNetwork target = scan == null ? null : Strongest(scan, ssid);
            if (target != null)
            {
                string inRange = "WiFi: " + quoted + " is in range (" + Dbm(target.RssiDbm) + ")";
                if (target.RssiDbm <= WeakSignalDbm)
                {
                    // ESP32 reports a handshake lost to a weak signal as a refusal: the signal comes first.
                    return inRange + " but the signal is too weak to join; move the board closer to the access point";
                }

                switch (status)
                {
                    case WifiConnectStatus.Refused:
                        return inRange + " but refused the password; check WifiPassword";
                    case WifiConnectStatus.Failed:
                        return inRange + " but joining failed" + InParentheses(detail);
                    default:
                        return inRange + " but did not answer the join; it will be retried";
                }
            }

            if (status == WifiConnectStatus.Refused)
            {
                // Only a network that exists refuses; the scan missed it.
                return "WiFi: " + quoted + " refused the password; check WifiPassword";
            }

            if (scan == null)
            {
                return status == WifiConnectStatus.Failed
                    ? "WiFi: joining " + quoted + " failed" + InParentheses(detail)
                    : "WiFi: could not join " + quoted + "; check WifiSsid/WifiPassword and that the network is 2.4 GHz";
            }

            return NotInRange(quoted, ssid, scan);
        }

        private static string NotInRange(string quoted, string ssid, ScannedNetwork[] scan)
        {
            ScannedNetwork[] listed = StrongestDistinct(scan, MaxNetworksListed);
            string seen = "";
            for (int i = 0; i < listed.Length; i++)
            {
                seen += (i == 0 ? "" : ", ") + listed[i].Ssid + " (" + Dbm(listed[i].RssiDbm) + ")";
            }

            string line = "WiFi: no network named " + quoted + " in range; networks seen: "
                          + (seen.Length == 0 ? "none" : seen)
                          + " (ESP32 sees only 2.4 GHz; names are case-sensitive)";
            ScannedNetwork lookalike = Lookalike(scan, ssid);
            if (lookalike != null)
            {
                line += "; \"" + lookalike.Ssid + "\" differs only in case or spaces: check WifiSsid";
            }

            return line;
        }

        private static ScannedNetwork Strongest(ScannedNetwork[] scan, string ssid)
        {
            ScannedNetwork best = null;
            for (int i = 0; i < scan.Length; i++)
            {
                if (scan[i] != null && scan[i].Ssid == ssid && (best == null || scan[i].RssiDbm > best.RssiDbm))
                {
                    best = scan[i];
                }
            }

            return best;
        }

        /// <summary>One entry per name (an access point with several radios shows once, at its strongest),
        /// strongest first, hidden networks (no name) left out.</summary>
        private static ScannedNetwork[] StrongestDistinct(ScannedNetwork[] scan, int max)
        {
            ScannedNetwork[] picked = new ScannedNetwork[max];
            int count = 0;
            while (count < max)
            {
                ScannedNetwork next = null;
                for (int i = 0; i < scan.Length; i++)
                {
                    ScannedNetwork candidate = scan[i];
                    if (candidate == null || candidate.Ssid == null || candidate.Ssid.Length == 0 || Contains(picked, count, candidate.Ssid))
                    {
                        continue;
                    }

                    if (next == null || candidate.RssiDbm > next.RssiDbm)
                    {
                        next = candidate;
                    }
                }

                if (next == null)
                {
                    break;
                }

                picked[count++] = next;
            }

            ScannedNetwork[] result = new ScannedNetwork[count];
            for (int i = 0; i < count; i++)
            {
                result[i] = picked[i];
            }

            return result;
        }

        private static bool Contains(ScannedNetwork[] picked, int count, string ssid)
        {
            for (int i = 0; i < count; i++)
            {
                if (picked[i].Ssid == ssid)
                {
                    return true;
                }
            }

            return false;
        }

        /// <summary>The strongest network whose name matches the wanted one once case and spaces are ignored.</summary>
        private static ScannedNetwork Lookalike(ScannedNetwork[] scan, string ssid)
        {
            string wanted = Folded(ssid);
            ScannedNetwork best = null;
            for (int i = 0; i < scan.Length; i++)
            {
                ScannedNetwork candidate = scan[i];
                if (candidate != null && candidate.Ssid != null && candidate.Ssid != ssid && Folded(candidate.Ssid) == wanted
                    && (best == null || candidate.RssiDbm > best.RssiDbm))
                {
                    best = candidate;
                }
            }

            return best;
        }

        /// <summary>The name lower-cased without its spaces (nanoFramework's string has no Replace).</summary>
        private static string Folded(string name)
        {
            char[] kept = new char[name.Length];
            int count = 0;
            for (int i = 0; i < name.Length; i++)
            {
                if (name[i] != ' ')
                {
                    kept[count++] = name[i];
                }
            }

            return new string(kept, 0, count).ToLower();
        }

        private static string Dbm(int rssi)
        {
            return rssi.ToString() + " dBm";
        }

        private static string InParentheses(string detail)
        {
            return detail == null || detail.Length == 0 ? "" : " (" + detail + ")";
        }
    }
}
