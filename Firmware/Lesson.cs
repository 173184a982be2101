using IotyDevice.Core;

namespace IotyDevice
{
    /// <summary>
    /// The IoTy MQTT lesson: the part of the firmware that is yours to change, in the order of the MicroPython one.
    /// WiFi, the broker, TLS, the client ID and reconnecting are done for you from settings.json; the device calls
    /// the three methods below on its main loop. docs/lesson.md maps each line of the Python lesson to this firmware
    /// and walks through three changes (an LED from the App Builder switch, a press counter, a second topic).
    /// Try a change in the simulator first (dotnet run --project Host/IotyDevice.Simulator), then flash it.
    /// </summary>
    public class Lesson : ILesson
    {
        // ioty_mqtt.subscribe(b'topic1')
        // The topics to listen on. The device subscribes again after every reconnect.
        public string[] Topics()
        {
            return new string[] { "topic1" };
        }

        // def ioty_mqtt_cb_topic1(mqtt_msg):
        //     print(mqtt_msg)
        // One call per message received, in order. message.Topic, message.Text ("on"), message.Is("on").
        public void OnMessage(MqttMessage message, Board board)
        {
            board.Print(message); // prints: Received on topic1: on
        }

        // if pin.digital_read(0) == 0:
        //     ioty_mqtt.publish(b'topic2', bytes('hello', 'utf-8'))
        // One call per BOOT press. Offline, the publish is kept and sent once the device is back.
        public void OnBootPress(Board board)
        {
            board.Publish("topic2", "hello"); // QoS 1, not retained
        }
    }
}
