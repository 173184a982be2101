namespace IotyDevice.Core
{
    /// <summary>Where the lesson's publishes go: the device's one path for publishing, with its offline and
    /// at-least-once handling, the same one a BOOT press uses.</summary>
    public interface ILessonPublisher
    {
        /// <summary>Hands the publish to the device's outbox: sent at the end of this loop pass if connected, else kept
        /// for after the reconnect. <paramref name="text"/> is the payload as text for the monitor line, or null for bytes.</summary>
        void Publish(string topic, byte[] payload, string text, int qos, bool retain);
    }
}
