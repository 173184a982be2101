using System;

namespace IotyDevice.Core
{
    /// <summary>Runs the lesson's methods for the main loop: each call is caught (an exception is printed with the
    /// method and, where the runtime gives it, the lesson's line, and the device carries on) and timed (a call
    /// that holds the loop up is named, so the learner knows why lines came late). Nothing here allocates on the
    /// way to a lesson that neither throws nor dawdles.</summary>
    public class LessonRunner
    {
        private readonly ILesson _lesson;
        private readonly Board _board;
        private readonly IClock _clock;
        private readonly IMonitor _monitor;
        private readonly int _slowMs;
        private readonly MqttMessage _message = new MqttMessage();

        public LessonRunner(ILesson lesson, Board board, IClock clock, IMonitor monitor, int slowMs)
        {
            _lesson = lesson;
            _board = board;
            _clock = clock;
            _monitor = monitor;
            _slowMs = slowMs;
        }

        /// <summary>The lesson's topics, checked (also against the monitor topic of these settings: the board must not
        /// receive its own monitor lines); null (with the reason printed) when the lesson gives none that can be subscribed.</summary>
        public string[] Topics(DeviceSettings settings)
        {
            _board.UseSettings(settings);
            string[] topics;
            try
            {
                topics = _lesson.Topics();
            }
            catch (Exception e)
            {
                Report("Topics", null, e);
                return null;
            }

            if (topics == null || topics.Length == 0)
            {
                _monitor.WriteLine("Lesson: Topics gave no topic; the device subscribes to nothing and only publishes");
                return new string[0];
            }

            for (int i = 0; i < topics.Length; i++)
            {
                string problem = topics[i] == null || topics[i].Length == 0 ? "is empty" : SettingsValidator.TopicProblem(topics[i], true);
                if (problem != null)
                {
                    _monitor.WriteLine("Lesson: Topics: topic " + (i + 1).ToString() + " " + problem + "; fix Topics in Firmware/Lesson.cs");
                    return null;
                }

                if (settings.MonitorTopic != null && settings.MonitorTopic.Length > 0
                    && TopicFilter.CouldMatch(topics[i], settings.MonitorTopic, settings.ClientIdPrefix))
                {
                    _monitor.WriteLine("Lesson: Topics: \"" + topics[i] + "\" matches MonitorTopic \"" + settings.MonitorTopic
                        + "\", so the device would receive its own monitor lines and print them again, forever; subscribe to a narrower topic in Firmware/Lesson.cs, or set MonitorTopic to another topic or \"\" in settings.json");
                    return null;
                }
            }

            return topics;
        }

        public void OnMessage(string topic, byte[] payload)
        {
            _message.Set(topic, payload);
            long startMs = _clock.NowMs;
            try
            {
                _lesson.OnMessage(_message, _board);
            }
            catch (Exception e)
            {
                Report("OnMessage", topic, e);
            }
            finally
            {
                _message.Clear(); // the reused message must not keep the payload alive until the next one
            }

            SaySlow("OnMessage", startMs);
        }

        public void OnBootPress()
        {
            long startMs = _clock.NowMs;
            try
            {
                _lesson.OnBootPress(_board);
            }
            catch (Exception e)
            {
                Report("OnBootPress", null, e);
            }

            SaySlow("OnBootPress", startMs);
        }

        private void SaySlow(string method, long startMs)
        {
            long tookMs = _clock.NowMs - startMs;
            if (tookMs >= _slowMs)
            {
                _monitor.WriteLine("Lesson: " + method + " took " + TimeText.Seconds(tookMs) + " s; messages and presses waited meanwhile (the MQTT library keeps the connection alive on its own); keep lesson code quick, no Thread.Sleep");
            }
        }

        private void Report(string method, string topic, Exception e)
        {
            _monitor.WriteLine("Lesson: " + method + (topic == null ? "" : " (" + topic + ")") + " failed: " + e.GetType().Name + ": " + e.Message
                + " (the device carries on)");
            string at = LessonFrame(e.StackTrace);
            if (at != null)
            {
                _monitor.WriteLine("Lesson:   " + at);
            }
        }

        /// <summary>The first frame of the stack trace in the lesson's own code: on a PC "at IotyDevice.Lesson.OnMessage(...)
        /// in .../Lesson.cs:line 42"; on the board the method only (its runtime has no line numbers); null if none.</summary>
        private string LessonFrame(string stackTrace)
        {
            if (stackTrace == null)
            {
                return null;
            }

            // ".Lesson." on a PC, ".Lesson::" on the board; the name alone would also match ".LessonRunner".
            string name = "." + _lesson.GetType().Name;
            string[] lines = stackTrace.Split('\n');
            for (int i = 0; i < lines.Length; i++)
            {
                int at = lines[i].IndexOf(name);
                int next = at + name.Length;
                if (at >= 0 && next < lines[i].Length && (lines[i][next] == '.' || lines[i][next] == ':'))
                {
                    return lines[i].Trim();
                }
            }

            return null;
        }
    }
}
