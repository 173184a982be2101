using System;

namespace IotyDevice.Core
{
    /// <summary>What a lesson can do: print to the monitor, publish, switch an output pin, read the settings (without secrets).
    /// Handed to every lesson method; it only works on the main loop, which is where the lesson runs.</summary>
    public class Board
    {
        private readonly IMonitor _monitor;
        private readonly MessageLine _line;
        private readonly ILessonPublisher _publisher;
        private readonly IOutputPins _pins;
        private DeviceSettings _settings;
        private SettingsView _view;

        public Board(IMonitor monitor, MessageLine line, ILessonPublisher publisher, IOutputPins pins)
        {
            _monitor = monitor;
            _line = line;
            _publisher = publisher;
            _pins = pins;
        }

        /// <summary>The settings (settings.json) the device runs with, already checked; the passwords are not in it.</summary>
        public SettingsView Settings { get { return _view; } }

        /// <summary>Prints one line to the monitor, like Python's print(text).</summary>
        public void Print(string text)
        {
            _monitor.WriteLine(text == null ? "" : text);
        }

        /// <summary>Prints a received message as "Received on topic1: on": safe for any payload (invalid UTF-8 and
        /// control characters shown as U+FFFD, long payloads cut with their size) and without allocating.</summary>
        public void Print(MqttMessage message)
        {
            int length = _line.Format(message.Topic, message.Payload);
            _monitor.WriteLine(_line.Chars, length);
        }

        /// <summary>Publishes text (UTF-8) at QoS 1, not retained: at least once, kept and sent after a reconnect
        /// if the device is offline, like a BOOT press.</summary>
        public void Publish(string topic, string text)
        {
            Publish(topic, text, 1, false);
        }

        /// <summary>Publishes text (UTF-8) with the given QoS (0, 1 or 2) and retain flag.</summary>
        public void Publish(string topic, string text, int qos, bool retain)
        {
            if (text == null)
            {
                throw new ArgumentException("Publish needs a text (use \"\" for an empty message)");
            }

            _publisher.Publish(CheckedTopic(topic), Utf8.Encode(text), text, CheckedQos(qos), retain);
        }

        /// <summary>Publishes bytes as they are, with the given QoS (0, 1 or 2) and retain flag.</summary>
        public void Publish(string topic, byte[] payload, int qos, bool retain)
        {
            if (payload == null)
            {
                throw new ArgumentException("Publish needs a payload (use new byte[0] for an empty message)");
            }

            _publisher.Publish(CheckedTopic(topic), payload, null, CheckedQos(qos), retain);
        }

        /// <summary>Switches an output pin on (high) or off (low), like IoTy's pin.digital_write(pin, 1 or 0).
        /// The pins of the status light (StatusLedPin, while the light is on) and the BOOT button are the device's, and
        /// the pin must be an output on the board's chip (Chip in settings.json).</summary>
        public void DigitalWrite(int pin, bool on)
        {
            if (pin < 0)
            {
                throw new ArgumentException("DigitalWrite: pin " + pin.ToString() + " does not exist; use a GPIO number such as 4");
            }

            // With the light off StatusLedPin is NoStatusLed (-1), which no pin that got this far can equal.
            if (_settings != null && pin == _settings.StatusLedPin)
            {
                throw new InvalidOperationException("DigitalWrite: GPIO " + pin.ToString()
                    + " is the status light's pin (StatusLedPin in settings.json); use another pin, or set StatusLedPin to -1 to switch it yourself");
            }

            if (_settings != null && pin == _settings.BootButtonPin)
            {
                throw new InvalidOperationException("DigitalWrite: GPIO " + pin.ToString() + " is the BOOT button's pin (BootButtonPin in settings.json); use another pin");
            }

            string problem = _settings == null ? null : EspPins.Problem(_settings.Chip, pin, true);
            if (problem != null)
            {
                throw new ArgumentException("DigitalWrite: " + problem + "; use another pin (" + EspPins.BoardTable + ")");
            }

            if (_pins == null)
            {
                throw new InvalidOperationException("DigitalWrite: this device has no output pins");
            }

            _pins.Write(pin, on);
        }

        internal void UseSettings(DeviceSettings settings)
        {
            _settings = settings;
            _view = new SettingsView(settings);
        }

        private static string CheckedTopic(string topic)
        {
            string problem = topic == null || topic.Length == 0 ? "is empty" : SettingsValidator.TopicProblem(topic, false);
            if (problem != null)
            {
                throw new ArgumentException("Publish: the topic " + problem);
            }

            return topic;
        }

        private static int CheckedQos(int qos)
        {
            if (qos < 0 || qos > 2)
            {
                throw new ArgumentException("Publish: QoS " + qos.ToString() + " is not an MQTT QoS; use 0, 1 or 2");
            }

            return qos;
        }
    }
}
