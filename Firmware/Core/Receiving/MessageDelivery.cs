namespace IotyDevice.Core
{
    /// <summary>Where a received message becomes a line: the loop hands what waits in the <see cref="Inbox"/> to the
    /// lesson's OnMessage (<see cref="LessonRunner"/>; Firmware/Lesson.cs prints it with board.Print, formatted by
    /// <see cref="MessageLine"/>), and says how many messages a flood pushed out of the inbox.</summary>
    public class MessageDelivery
    {
        private readonly Inbox _inbox;
        private readonly LessonRunner _lesson;
        private readonly LessonPublishes _publishes;
        private readonly StatusLight _light;
        private readonly IMonitor _monitor;
        private readonly int _dropReportIntervalMs;
        private int _reportedDrops;
        private long _lastDropReportMs;

        public MessageDelivery(Inbox inbox, LessonRunner lesson, LessonPublishes publishes, StatusLight light, IMonitor monitor,
                               int dropReportIntervalMs)
        {
            _inbox = inbox;
            _lesson = lesson;
            _publishes = publishes;
            _light = light;
            _monitor = monitor;
            _dropReportIntervalMs = dropReportIntervalMs;
        }

        /// <summary>Hands the lesson at most one inbox-full of messages, in order (what arrives meanwhile waits for the
        /// next pass, so a flood cannot hold the button and the connection up).</summary>
        public void Deliver()
        {
            string topic;
            byte[] payload;
            _publishes.Label = "Lesson";
            for (int i = 0; i < _inbox.Capacity && _inbox.TryTake(out topic, out payload); i++)
            {
                _lesson.OnMessage(topic, payload);
                _light.MessageReceived();
            }
        }

        /// <summary>Says the drop count when it has grown, at most once per report interval during a flood.</summary>
        public void ReportDrops(long now)
        {
            string oversized = _inbox.TakeOversizedLine();
            if (oversized != null)
            {
                _monitor.WriteLine(oversized);
            }

            int dropped = _inbox.Dropped;
            if (dropped == _reportedDrops || (_reportedDrops > 0 && now - _lastDropReportMs < _dropReportIntervalMs))
            {
                return;
            }

            _monitor.WriteLine(_inbox.DropLine());
            _reportedDrops = dropped;
            _lastDropReportMs = now;
        }
    }
}
