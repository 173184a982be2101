using IotyDevice.Core;

namespace IotyDevice
{
    /// <summary>Worked change 2 (docs/lesson.md): each BOOT press publishes how many presses there have been
    /// since start-up: 1, 2, 3... A press while offline is kept and sent, in order, after the reconnect.</summary>
    public class Lesson : ILesson
    {
        private int _presses;

        public string[] Topics()
        {
            return new string[] { "topic1" };
        }

        public void OnMessage(MqttMessage message, Board board)
        {
            board.Print(message);
        }

        public void OnBootPress(Board board)
        {
            _presses = _presses + 1;
            board.Publish("topic2", _presses.ToString());
        }
    }
}
