using IotyDevice.Core;

namespace IotyDevice
{
    /// <summary>A lesson that answers: "ping" on topic1 publishes "pong" to topic2 (docs/lesson.md, trying a change
    /// in the simulator).</summary>
    public class Lesson : ILesson
    {
        public string[] Topics()
        {
            return new string[] { "topic1" };
        }

        public void OnMessage(MqttMessage message, Board board)
        {
            board.Print(message);
            if (message.Is("ping"))
            {
                board.Publish("topic2", "pong");
            }
        }

        public void OnBootPress(Board board)
        {
            board.Publish("topic2", "hello");
        }
    }
}
