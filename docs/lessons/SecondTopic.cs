using IotyDevice.Core;

namespace IotyDevice
{
    /// <summary>Worked change 3 (docs/lesson.md): listen on a second topic, topic3, and say something of its own
    /// for its messages. Both subscriptions are renewed after every reconnect.</summary>
    public class Lesson : ILesson
    {
        public string[] Topics()
        {
            return new string[] { "topic1", "topic3" };
        }

        public void OnMessage(MqttMessage message, Board board)
        {
            if (message.Topic == "topic3")
            {
                board.Print("topic3 says " + message.Text);
            }
            else
            {
                board.Print(message);
            }
        }

        public void OnBootPress(Board board)
        {
            board.Publish("topic2", "hello");
        }
    }
}
