using Board.Models;
using IotyDevice.Core;
using IotyDevice.Firmware;
using Xunit;

namespace Board.Tests.Adapters
{
    /// <summary>The core's outbox (Firmware/Core/Publishing/Outbox.cs) over the board transport on the M2Mqtt model.</summary>
    public sealed class OutboxOnModelTests
    {
        private sealed class ToOutbox : IMqttListener
        {
            public Outbox Outbox;

            public void OnMessage(string topic, byte[] payload, int qos)
            {
            }

            public void OnSubscribed(int connection, int messageId, int grantedQos)
            {
            }

            public void OnPublished(int connection, int messageId, bool confirmed) => Outbox.OnPublished(connection, messageId, confirmed);

            public void OnConnectionClosed(int connection)
            {
            }
        }

        [Fact]
        public void On_a_silent_loss_an_unconfirmed_publish_waits_for_the_next_connection_instead_of_going_round_on_the_dead_one()
        {
            Rig.BoardOnline();
            var transport = new M2MqttTransport();
            var lines = new Lines();
            var outbox = new Outbox(transport, lines, 8);
            transport.SetListener(new ToOutbox { Outbox = outbox });
            outbox.Open(transport.Connect(Rig.Request()).Connection);

            // The WiFi goes silently: M2Mqtt retries 3 times 1 s apart, reports IsPublished = false and still reads as
            // connected until the keepalive notices (up to 2 x 30 s here).
            BoardModels.Broker.LinkUp = false;
            outbox.Add("BOOT", "hello", "topic2", Rig.Utf8("hello"), 1, false);
            for (int i = 0; i < 200 && transport.IsConnected; i++)
            {
                Assert.True(outbox.Pump());
                BoardTime.Advance(100);
            }

            Assert.True(transport.IsConnected, "still connected as far as the library knows");
            Assert.Equal(3, BoardModels.Clients[0].PacketsSent);
            Assert.Equal(1, lines.Count("BOOT: sent hello to topic2"));
            Assert.Equal(1, outbox.Count);

            // The next connection takes it.
            BoardModels.Broker.LinkUp = true;
            outbox.Close();
            outbox.Open(transport.Connect(Rig.Request()).Connection);
            outbox.Pump();
            BoardTime.Advance(200);
            outbox.Pump();
            Assert.Equal("hello", BoardModels.Broker.Publishes[0].Text);
            Assert.Equal(0, outbox.Count);
            Assert.Contains("BOOT: sent hello to topic2 again", lines.All);
        }
    }
}
