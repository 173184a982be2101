using System;
using System.Diagnostics;
using System.Threading;
using IotyDevice.Host.Button;
using IotyDevice.Host.Network;

namespace IotyDevice.Simulator
{
    /// <summary>What a line typed into the simulator does. The same commands work typed by hand and in a script.</summary>
    internal sealed class Commands
    {
        public enum Outcome { Continue, Quit, WaitFailed }

        private static readonly string[] Help =
        {
            "commands:",
            "  Enter or b          press BOOT (the device publishes hello to topic2)",
            "  pub <topic> <text>  publish as the IoTy App Builder, e.g. pub topic1 on",
            "  wifi off, wifi on   switch the simulated WiFi access point off / on again",
            "  wait <text>         wait until a device or [app] line contains <text> (for scripts)",
            "  light               what the board's status LED is doing (see the README's light patterns)",
            "  help                this list",
            "  quit                stop (Ctrl+C or the end of the input stop too)",
        };

        private readonly Terminal _terminal;
        private readonly AppBuilderSide _peer;
        private readonly SimulatedNetwork _network;
        private readonly SimulatedButton _button;
        private readonly int _debounceMs;
        private readonly TimeSpan _waitTimeout;
        private readonly CancellationToken _quit;
        private readonly object _pressGate = new object();
        private int _waitCursor;

        public Commands(Terminal terminal, AppBuilderSide peer, SimulatedNetwork network, SimulatedButton button, int debounceMs,
            TimeSpan waitTimeout, CancellationToken quit)
        {
            _terminal = terminal;
            _peer = peer;
            _network = network;
            _button = button;
            _debounceMs = debounceMs;
            _waitTimeout = waitTimeout;
            _quit = quit;
        }

        /// <summary>The simulated status LED the `light` command describes.</summary>
        public IotyDevice.Host.Light.SimulatedStatusLight Light { get; set; }

        /// <summary>Why the last wait failed.</summary>
        public string LastFailure { get; private set; }

        public Outcome Execute(string line, bool echo)
        {
            string text = line.Trim();
            if (echo) _terminal.Sim("> " + (text.Length == 0 ? "(Enter)" : text));
            int space = text.IndexOf(' ');
            string word = (space < 0 ? text : text.Substring(0, space)).ToLowerInvariant();
            string rest = space < 0 ? "" : text.Substring(space + 1).Trim();
            switch (word)
            {
                case "":
                case "b":
                case "boot":
                    PressBoot();
                    return Outcome.Continue;
                case "pub":
                    Publish(rest);
                    return Outcome.Continue;
                case "wifi":
                    Wifi(rest.ToLowerInvariant());
                    return Outcome.Continue;
                case "wait":
                    return Wait(rest);
                case "light":
                    _terminal.Sim("status light " + (Light == null ? "not simulated" : Light.Describe()));
                    return Outcome.Continue;
                case "help":
                case "?":
                    foreach (string help in Help) _terminal.Sim(help);
                    return Outcome.Continue;
                case "quit":
                case "exit":
                case "q":
                    return Outcome.Quit;
                default:
                    _terminal.Sim("unknown command '" + word + "'; type help for the list");
                    return Outcome.Continue;
            }
        }

        /// <summary>Holds BOOT past the core's debounce time, and on until the device reacted (each press makes a
        /// "BOOT: ..." line) so a busy PC cannot turn it into a bounce; at most a second, like a real finger.
        /// The terminal and the page's BOOT button press one after the other, never over each other.</summary>
        public void PressBoot()
        {
            lock (_pressGate) PressAndRelease();
        }

        private void PressAndRelease()
        {
            int from = _terminal.LineCount;
            Stopwatch held = Stopwatch.StartNew();
            _button.Press();
            Thread.Sleep(_debounceMs + 20);
            TimeSpan left = TimeSpan.FromSeconds(1) - held.Elapsed;
            bool noticed = _terminal.WaitForLine(from, l => l.StartsWith("BOOT:", StringComparison.Ordinal), left, _quit) > 0;
            _button.Release();
            Thread.Sleep(_debounceMs + 20); // the release settles before any next press
            if (!noticed && !_quit.IsCancellationRequested)
                _terminal.Sim("BOOT: the device did not notice the press (its loop was busy, e.g. connecting); press again");
        }

        private void Publish(string rest)
        {
            int space = rest.IndexOf(' ');
            string topic = space < 0 ? rest : rest.Substring(0, space);
            string payload = space < 0 ? "" : rest.Substring(space + 1);
            if (topic.Length == 0)
            {
                _terminal.Sim("pub needs a topic: pub <topic> <text>, e.g. pub topic1 on");
                return;
            }
            _peer.Publish(topic, payload, _quit);
        }

        private void Wifi(string state)
        {
            if (state == "off")
            {
                _network.Drop();
                _terminal.Sim("WiFi: the access point is off (the device notices within a second and keeps retrying)");
            }
            else if (state == "on")
            {
                _network.Restore();
                _terminal.Sim("WiFi: the access point is on again");
            }
            else
            {
                _terminal.Sim("wifi off or wifi on");
            }
        }

        /// <summary>Waits for a device or [app] line containing the text, printed since the line the previous wait
        /// matched (so two waits for "hello" need two hellos). [sim] lines never match: they echo the script.</summary>
        private Outcome Wait(string text)
        {
            if (text.Length == 0)
            {
                _terminal.Sim("wait needs the text to wait for, e.g. wait Received on topic1");
                return Outcome.Continue;
            }
            int next = _terminal.WaitForLine(_waitCursor,
                l => !l.StartsWith("[sim]", StringComparison.Ordinal) && l.Contains(text, StringComparison.Ordinal), _waitTimeout, _quit);
            if (next > 0)
            {
                _waitCursor = next;
                return Outcome.Continue;
            }
            if (_quit.IsCancellationRequested) return Outcome.Quit;
            LastFailure = "wait: no line containing '" + text + "' within " + _waitTimeout.TotalSeconds + " s";
            _terminal.Sim(LastFailure);
            return Outcome.WaitFailed;
        }
    }
}
