using Broker.Tests.Infrastructure;
using IotyDevice.Core;
using Xunit;

namespace Broker.Tests.Scenarios;

/// <summary>Firmware/Lesson.cs is the learner's: whatever it does on the main loop, the connection is the MQTT
/// library's to keep alive, on its own thread. Against a real Mosquitto that enforces the keepalive.</summary>
public sealed class SlowLessonTests
{
    private const int KeepAliveSeconds = 10; // the broker drops a silent client after 1.5 x this: 15 s
    private const int SleepMs = 18_000;

    /// <summary>A learner's lesson that stops the loop with a Thread.Sleep longer than the broker's keepalive window.</summary>
    private sealed class Sleepy : ILesson
    {
        public string[] Topics() => new[] { "topic1" };

        public void OnMessage(MqttMessage message, Board board)
        {
            board.Print(message);
            if (message.Is("sleep")) Thread.Sleep(SleepMs);
        }

        public void OnBootPress(Board board) => board.Publish("topic2", "awake");
    }

    [Fact]
    public void A_lesson_that_blocks_the_loop_past_the_keepalive_window_keeps_the_connection_and_catches_up()
    {
        using var rig = new Rig(nameof(A_lesson_that_blocks_the_loop_past_the_keepalive_window_keeps_the_connection_and_catches_up),
            settings: s => s["KeepAliveSeconds"] = KeepAliveSeconds, lesson: new Sleepy());
        AppPeer app = rig.Peer(subscribeTo: "topic2");
        rig.Run(() =>
        {
            rig.Device.Start();
            rig.WaitForSubscriptions(1);

            app.Publish("topic1", "sleep");
            app.Publish("topic1", "while it slept");
            rig.Device.WaitForLine("Received on topic1: sleep");
            rig.WaitUntil(rig.Device.Monitor.Changed, () => rig.Device.Monitor.Count("Lesson: OnMessage took ") >= 1, SleepMs / 1000 + 10,
                "the lesson's 18 s sleep to end and be named");
            rig.Device.WaitForLine("Received on topic1: while it slept");
            rig.Device.PressBoot();
            rig.WaitUntil(app.Changed, () => app.TextsOn("topic2").Contains("awake"), 10, "the press after the sleep to reach the App Builder");

            Assert.Contains(rig.Device.Monitor.Lines, l => l.StartsWith("Lesson: OnMessage took 18."));
            Assert.Equal(0, rig.Device.Monitor.Count("connection lost"));
            // One CONNECT from the device, announcing the 10 s keepalive the broker enforced while the loop slept.
            Assert.Equal(1, rig.Broker.CountLog(" as " + rig.ClientId + " ("));
            Assert.Equal(1, rig.Broker.CountLog(" as " + rig.ClientId + " (p5, c0, k" + KeepAliveSeconds + ","));
            Assert.Equal(0, rig.Broker.CountLog("exceeded timeout"));
        });
    }
}
