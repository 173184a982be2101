using System;
using System.Linq;
using System.Net.Sockets;
using System.Security.Cryptography;
using Board.Models;
using IotyDevice.Core;
using IotyDevice.Firmware;
using Xunit;

namespace Board.Tests.Adapters
{
    /// <summary>Firmware/Device/M2MqttTransport.cs on the model of M2Mqtt 5.1.220 (Models/MqttClient.cs): the port
    /// contract rows of Firmware/Core/Ports/README.md that the host checks in Broker.Tests/Adapter/PortContractTests.cs,
    /// and what only the board does.</summary>
    public sealed class M2MqttTransportOnModelTests
    {
        private readonly M2MqttTransport _transport = new M2MqttTransport();
        private readonly RecordingListener _listener = new RecordingListener();

        public M2MqttTransportOnModelTests()
        {
            Rig.BoardOnline();
            _listener.IsConnected = () => _transport.IsConnected;
            _transport.SetListener(_listener);
        }

        private void ConnectAndSubscribe()
        {
            ConnectResult result = _transport.Connect(Rig.Request());
            Assert.True(result.IsAccepted);
            _transport.Subscribe("topic1", 1);
            BoardTime.Advance(200);
            Assert.Equal(new[] { "suback 1" }, _listener.Calls);
        }

        [Fact]
        public void A_QoS1_message_is_acknowledged_before_the_listener_sees_it_and_Close_throws_away_what_still_waits()
        {
            ConnectAndSubscribe();
            ModelBroker broker = BoardModels.Broker;
            _listener.OnCall = call =>
            {
                if (call == "message topic1:m1")
                {
                    BoardModels.HoldDispatch();
                }
            };
            foreach (string text in new[] { "m1", "m2", "m3" })
            {
                broker.Send("topic1", text);
            }

            BoardTime.Advance(500);
            Assert.Equal(3, broker.Pubacks);
            Assert.Equal(new[] { "suback 1", "message topic1:m1" }, _listener.Calls);

            _transport.Close();
            BoardModels.ReleaseDispatch();
            BoardTime.Advance(500);
            Assert.Equal(new[] { "suback 1", "message topic1:m1" }, _listener.Calls);
        }

        [Fact]
        public void Every_listener_call_comes_after_what_was_queued_before_it_and_a_loss_comes_last()
        {
            ConnectAndSubscribe();
            ModelBroker broker = BoardModels.Broker;
            _transport.Publish("topic2", Rig.Utf8("hello"), 1, false);
            BoardTime.Advance(200);
            _listener.OnCall = call =>
            {
                if (call == "message topic1:m1")
                {
                    BoardModels.HoldDispatch();
                }
            };
            foreach (string text in new[] { "m1", "m2", "m3" })
            {
                broker.Send("topic1", text);
            }

            BoardTime.Advance(200);
            broker.CloseConnection();
            BoardTime.Advance(200);
            Assert.False(_transport.IsConnected);
            Assert.Throws<MqttNotConnectedException>(() => _transport.Publish("topic2", new byte[] { 1 }, 1, false));
            Assert.DoesNotContain("closed", _listener.Calls);

            BoardModels.ReleaseDispatch();
            BoardTime.Advance(200);
            Assert.Equal(new[] { "suback 1", "puback True", "message topic1:m1", "message topic1:m2", "message topic1:m3", "closed" }, _listener.Calls);
            Assert.False(_listener.ConnectedAtLoss);
        }

        [Fact]
        public void A_closed_transport_raises_nothing_and_takes_no_work()
        {
            ConnectAndSubscribe();
            _transport.Close();
            BoardModels.Broker.Send("topic1", "late");
            BoardTime.Advance(1000);
            Assert.False(_transport.IsConnected);
            Assert.Throws<MqttNotConnectedException>(() => _transport.Publish("topic2", new byte[] { 1 }, 1, false));
            Assert.Throws<MqttNotConnectedException>(() => _transport.Subscribe("topic1", 1));
            Assert.Equal(new[] { "suback 1" }, _listener.Calls);
        }

        [Fact]
        public void A_refusing_CONNACK_is_the_result_and_the_session_present_flag_comes_with_an_accepted_one()
        {
            MqttConnectRequest wrong = Rig.Request();
            wrong.Password = "wrong";
            ConnectResult refused = _transport.Connect(wrong);
            Assert.Equal(ConnectResult.BadUsernameOrPassword, refused.Code);
            Assert.False(_transport.IsConnected);

            BoardModels.Broker.SessionPresent = true;
            ConnectResult accepted = _transport.Connect(Rig.Request());
            Assert.True(accepted.IsAccepted);
            Assert.True(accepted.SessionPresent);
            Assert.Equal(refused.Connection + 1, accepted.Connection);
        }

        [Fact]
        public void On_a_silent_loss_a_QoS1_publish_is_sent_three_times_1_s_apart_then_reported_unconfirmed_while_still_connected()
        {
            ConnectAndSubscribe();
            BoardModels.Broker.LinkUp = false;
            int id = _transport.Publish("topic2", Rig.Utf8("hello"), 1, false);
            BoardTime.Advance(2900);
            Assert.Equal(new[] { "suback 1" }, _listener.Calls);
            BoardTime.Advance(200);

            Assert.Equal(new[] { "suback 1", "puback False" }, _listener.Calls);
            Assert.True(_transport.IsConnected);
            Assert.Equal(1 + 3, BoardModels.Clients[0].PacketsSent); // the SUBSCRIBE, then three PUBLISHes
            Assert.NotEqual(0, id);
        }

        [Fact]
        public void A_SUBSCRIBE_answered_late_is_sent_again_and_the_retained_message_arrives_twice()
        {
            ModelBroker broker = BoardModels.Broker;
            broker.Retained["topic1"] = Rig.Utf8("on");
            broker.AckDelayMs = 1500;
            Assert.True(_transport.Connect(Rig.Request()).IsAccepted);
            _transport.Subscribe("topic1", 1);
            BoardTime.Advance(4000);

            Assert.Equal(new[] { "topic1", "topic1" }, broker.Subscribes);
            Assert.Equal(new[] { "suback 1", "message topic1:on", "message topic1:on" }, _listener.Calls);
        }

        [Fact]
        public void A_received_message_needs_about_twice_its_size_and_running_out_there_is_no_loss_but_a_stream_read_no_further()
        {
            ConnectAndSubscribe();
            BoardModels.Broker.Send("topic1", "small");
            BoardTime.Advance(200);
            BoardMemory.FreeBytes = 3000;
            BoardModels.Broker.Send("topic1", new byte[2000], 1);
            BoardModels.Broker.Send("topic1", "after");
            BoardTime.Advance(5000);

            Assert.Equal(new[] { "suback 1", "message topic1:small" }, _listener.Calls);
            Assert.True(_transport.IsConnected);
        }

        [Fact]
        public void The_library_reads_a_published_payload_when_its_thread_sends_it_so_the_transport_hands_it_a_copy()
        {
            ConnectAndSubscribe();
            byte[] payload = Rig.Utf8("first");
            _transport.Publish("topic2", payload, 1, false);
            Rig.Utf8("XXXXX").CopyTo(payload, 0); // the caller reuses its buffer before the library's thread has run
            BoardTime.Advance(200);

            Assert.Equal("first", BoardModels.Broker.Publishes.Single().Text);
        }

        [Fact]
        public void A_listener_that_throws_is_reported_and_the_connection_stays_up()
        {
            ConnectAndSubscribe();
            var output = new System.IO.StringWriter();
            System.IO.TextWriter console = Console.Out;
            Console.SetOut(output);
            try
            {
                _listener.OnCall = call =>
                {
                    if (call == "message topic1:boom")
                    {
                        throw new InvalidOperationException("boom");
                    }
                };
                BoardModels.Broker.Send("topic1", "boom");
                BoardModels.Broker.Send("topic1", "after");
                BoardTime.Advance(500);
            }
            finally
            {
                Console.SetOut(console);
            }

            Assert.True(_transport.IsConnected);
            Assert.Equal(new[] { "suback 1", "message topic1:boom", "message topic1:after" }, _listener.Calls);
            Assert.Contains("MQTT: listener failed: boom", output.ToString());
        }

        [Fact]
        public void A_certificate_that_does_not_verify_is_a_certificate_fault_on_old_and_new_firmware_images()
        {
            // nf-interpreter before #3460: SocketException with mbedTLS's code; after: CryptographicException with the
            // X.509 verify flags (0x08: MBEDTLS_X509_BADCERT_NOT_TRUSTED).
            BoardModels.Broker.HandshakeFailure = new SocketException((SocketError)(-0x2700));
            var old = Assert.Throws<MqttTransportException>(() => _transport.Connect(Rig.Request()));
            Assert.True(TransportFault.Certificate == old.Fault, old.Message + " / " + old.InnerException);

            BoardModels.Broker.HandshakeFailure = new CryptographicException(0x08);
            var current = Assert.Throws<MqttTransportException>(() => _transport.Connect(Rig.Request()));
            Assert.Equal(TransportFault.Certificate, current.Fault);
            Assert.Contains("not trusted", current.Message);

            BoardModels.Broker.HandshakeFailure = new CryptographicException(-0x7780); // MBEDTLS_ERR_SSL_FATAL_ALERT_MESSAGE
            var other = Assert.Throws<MqttTransportException>(() => _transport.Connect(Rig.Request()));
            Assert.Equal(TransportFault.TlsHandshake, other.Fault);
        }
    }
}
