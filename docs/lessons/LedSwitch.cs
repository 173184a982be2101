using IotyDevice.Core;

namespace IotyDevice
{
    /// <summary>Worked change 1 (docs/lesson.md): the App Builder switch on topic1 turns an LED on GPIO 4 on and off.
    /// Wire an LED and a 330 ohm resistor in series from GPIO 4 to GND.</summary>
    public class Lesson : ILesson
    {
        private const int LedPin = 4;

        public string[] Topics()
        {
            return new string[] { "topic1" };
        }

        public void OnMessage(MqttMessage message, Board board)
        {
            board.Print(message);
            if (message.Is("on"))
            {
                board.DigitalWrite(LedPin, true);
            }
            else if (message.Is("off"))
            {
                board.DigitalWrite(LedPin, false);
            }
        }

        public void OnBootPress(Board board)
        {
            board.Publish("topic2", "hello");
        }
    }
}
