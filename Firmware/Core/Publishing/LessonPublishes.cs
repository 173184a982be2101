namespace IotyDevice.Core
{
    /// <summary>Every publish of the lesson (a BOOT press is one) goes through the outbox: the same offline and
    /// at-least-once handling for all. Its lines are labelled by who asked: "BOOT: sent hello to topic2".</summary>
    public class LessonPublishes : ILessonPublisher
    {
        private readonly Outbox _outbox;

        public LessonPublishes(Outbox outbox)
        {
            _outbox = outbox;
        }

        /// <summary>Who the next publishes are for on the monitor: "BOOT" in OnBootPress, "Lesson" in OnMessage.</summary>
        public string Label;

        public void Publish(string topic, byte[] payload, string text, int qos, bool retain)
        {
            _outbox.Add(Label, text != null ? text : "(" + payload.Length.ToString() + " bytes)", topic, payload, qos, retain);
        }
    }
}
