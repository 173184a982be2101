using System;
using IotyDevice.Core;

namespace IotyDevice.Simulator
{
    /// <summary>The topics of the lesson (Firmware/Lesson.cs), asked of the lesson itself rather than kept in a second
    /// place: what it subscribes to (its Topics) and what one BOOT press publishes (its OnBootPress run once on a board
    /// that only records). The App Builder side listens where the press publishes; the page's Switch and Display
    /// start on these topics.</summary>
    internal sealed class LessonTopics
    {
        private LessonTopics(string[] subscribed, string pressTopic, string pressText)
        {
            Subscribed = subscribed;
            PressTopic = pressTopic;
            PressText = pressText;
        }

        /// <summary>The lesson's topic filters; empty when it gives none (or throws).</summary>
        public string[] Subscribed { get; }

        /// <summary>The topic of the first publish of a press; null when a press publishes nothing.</summary>
        public string PressTopic { get; }

        /// <summary>Its payload as text; null for bytes or no publish.</summary>
        public string PressText { get; }

        /// <summary>Asks a fresh instance of the lesson (its fields, e.g. a press counter, are not the device's).</summary>
        public static LessonTopics Of(ILesson lesson)
        {
            string[] subscribed;
            try
            {
                subscribed = lesson.Topics() ?? Array.Empty<string>();
            }
            catch (Exception)
            {
                subscribed = Array.Empty<string>(); // the device says why, once it runs the same lesson
            }

            var publishes = new Recorder();
            try
            {
                lesson.OnBootPress(new Board(new Silent(), new MessageLine(1), publishes, null));
            }
            catch (Exception)
            {
                // As above: the device's own run reports it.
            }

            return new LessonTopics(subscribed, publishes.Topic, publishes.Text);
        }

        private sealed class Recorder : ILessonPublisher
        {
            public string Topic;
            public string Text;

            public void Publish(string topic, byte[] payload, string text, int qos, bool retain)
            {
                if (Topic != null) return;
                Topic = topic;
                Text = text;
            }
        }

        private sealed class Silent : IMonitor
        {
            public void WriteLine(string line) { }
            public void WriteLine(char[] chars, int count) { }
        }
    }
}
