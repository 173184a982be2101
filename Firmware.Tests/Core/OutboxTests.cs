using System.Text;
using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

/// <summary>The at-least-once outbox on the fake transport: what is kept, sent, confirmed and sent again.</summary>
public class OutboxTests
{
    private readonly FakeMqtt _mqtt = new() { AutoAck = false };
    private readonly RecordingMonitor _monitor = new();
    private readonly Outbox _outbox;

    public OutboxTests()
    {
        _outbox = new Outbox(_mqtt, _monitor, 4);
        _mqtt.SetListener(new AcksTo(_outbox));
        Connect();
    }

    /// <summary>Connects the fake transport and opens the outbox on that connection, as the device does.</summary>
    private void Connect()
    {
        _mqtt.Connect(new MqttConnectRequest());
        _outbox.Open(_mqtt.Connection);
    }

    /// <summary>A press, and the pass of the loop that follows it.</summary>
    private bool Press(string topic = "topic2")
    {
        _outbox.Add("BOOT", "hello", topic, Encoding.UTF8.GetBytes("hello"), 1, false);
        return _outbox.Pump();
    }

    private int Hellos => _mqtt.PublishedTexts("topic2").Count();

    [Fact]
    public void A_message_is_kept_until_its_puback_arrives()
    {
        Assert.True(Press());
        Assert.Equal(1, Hellos);
        Assert.Contains("BOOT: sent hello to topic2", _monitor.Lines);
        _outbox.Pump();
        Assert.Equal(1, _outbox.Count);

        _mqtt.Ack(_mqtt.PublishIds[0]);
        _outbox.Pump();
        Assert.Equal(0, _outbox.Count);
    }

    [Fact]
    public void A_message_whose_connection_drops_before_the_puback_is_sent_again_once_after_reconnecting()
    {
        Press();
        _mqtt.Close();
        _outbox.Close();
        Assert.Contains("BOOT: hello not confirmed before the connection dropped; sending it again", _monitor.Lines);
        _outbox.Pump();
        Assert.Equal(1, Hellos);

        Connect();
        _outbox.Pump();
        Assert.Equal(2, Hellos);
        Assert.Contains("BOOT: sent hello to topic2 again", _monitor.Lines);
        Assert.Equal(1, _outbox.Resent);

        _mqtt.Ack(_mqtt.PublishIds[1]);
        _outbox.Pump();
        _outbox.Close();
        Connect();
        _outbox.Pump();
        Assert.Equal(2, Hellos);
        Assert.Equal(0, _outbox.Count);
    }

    [Fact]
    public void A_puback_that_overtakes_the_return_of_publish_still_confirms_it()
    {
        _mqtt.AutoAck = true; // raised inside Publish, before the id is known to the outbox
        Press();
        Assert.Equal(1, _outbox.Count);
        _outbox.Pump();
        Assert.Equal(0, _outbox.Count);
    }

    [Fact]
    public void A_puback_from_a_connection_left_behind_confirms_nothing()
    {
        Press();
        var first = _mqtt.PublishIds[0];
        _outbox.Close();
        Connect();
        _outbox.Pump(); // sent again on the new connection
        _mqtt.Ack(first);
        _outbox.Pump();
        Assert.Equal(1, _outbox.Count);
    }

    [Fact]
    public void While_offline_one_message_per_topic_is_kept_and_the_monitor_says_so_for_the_next()
    {
        _outbox.Close();
        Press();
        Press();
        Press("topic3");
        Assert.Equal(2, _outbox.Count);
        Assert.Equal(2, _monitor.Count("BOOT: not connected; hello will be sent once MQTT is connected"));
        Assert.Equal(1, _monitor.Count("BOOT: not connected; one hello is already waiting to be sent"));
        Assert.Empty(_mqtt.Publishes);

        Connect();
        _outbox.Pump();
        Assert.Equal(new[] { "topic2", "topic3" }, _mqtt.Publishes.Select(p => p.Topic));
    }

    [Fact]
    public void A_publish_into_a_client_that_is_no_longer_connected_keeps_the_message()
    {
        _mqtt.IsConnected = false; // the link died; the loop has not heard yet
        Assert.False(Press());
        Assert.Contains("BOOT: the connection has just dropped; hello will be sent after reconnecting", _monitor.Lines);
        Assert.Empty(_mqtt.Publishes);

        _outbox.Close();
        Connect();
        _outbox.Pump();
        Assert.Equal(1, Hellos);
    }

    [Fact]
    public void When_the_library_gives_up_on_a_publish_it_is_sent_again_on_the_next_connection_not_on_this_one()
    {
        Press();
        _mqtt.Ack(_mqtt.PublishIds[0], confirmed: false);
        _outbox.Pump();
        Assert.Contains("BOOT: hello not confirmed by the broker; it will be sent again after reconnecting", _monitor.Lines);
        Assert.Equal(1, Hellos);
        Assert.Equal(1, _outbox.Count);

        _outbox.Close();
        Connect();
        _outbox.Pump();
        Assert.Equal(2, Hellos);
        Assert.Equal(1, _outbox.Count);
    }

    [Fact]
    public void It_keeps_at_most_its_capacity_and_says_what_it_did_not_keep()
    {
        for (int i = 0; i < 5; i++)
        {
            Press();
        }

        Assert.Equal(4, Hellos);
        Assert.Equal(4, _outbox.Count);
        Assert.Contains("BOOT: not kept: 4 earlier messages still wait for the broker to confirm them", _monitor.Lines);
    }

    [Fact]
    public void A_qos0_message_is_handed_over_and_forgotten()
    {
        _outbox.Add("LESSON", "on", "lamp", Encoding.UTF8.GetBytes("on"), 0, false);
        _outbox.Pump();
        Assert.Equal(0, _outbox.Count);
        Assert.Contains("LESSON: sent on to lamp", _monitor.Lines);
        _outbox.Close();
        Assert.Single(_mqtt.Publishes);
    }

    [Fact]
    public void Messages_kept_offline_go_out_in_the_order_they_were_made()
    {
        _outbox.Close();
        foreach (string topic in new[] { "a", "b", "c" })
        {
            Press(topic);
        }

        Connect();
        Assert.True(_outbox.Pump());
        Assert.Equal(new[] { "a", "b", "c" }, _mqtt.Publishes.Select(p => p.Topic));
    }

    [Fact]
    public void A_late_puback_from_a_closed_connection_that_reuses_the_new_message_id_confirms_nothing()
    {
        Press();
        var first = _mqtt.PublishIds[0];
        _outbox.Close();
        Connect();
        _outbox.Pump(); // sent again on the new connection
        var again = _mqtt.PublishIds[1];

        // The real library numbers ids per client from 1, so the old connection can ack the id the new one uses.
        _mqtt.Ack((first.Connection, again.MessageId));
        _outbox.Pump();
        Assert.Equal(1, _outbox.Count);

        _mqtt.Ack(again);
        _outbox.Pump();
        Assert.Equal(0, _outbox.Count);
    }

    [Fact]
    public void Several_qos0_messages_added_in_one_pass_all_go_out_in_that_pass_in_order()
    {
        foreach (string text in new[] { "one", "two", "three" })
        {
            _outbox.Add("LESSON", text, "lamp", Encoding.UTF8.GetBytes(text), 0, false);
        }

        Assert.True(_outbox.Pump());
        Assert.Equal(new[] { "one", "two", "three" }, _mqtt.PublishedTexts("lamp"));
        Assert.Equal(0, _outbox.Count);
    }

    [Fact]
    public void After_a_failed_publish_and_before_the_close_a_new_message_is_kept_and_reported_as_not_connected()
    {
        _mqtt.IsConnected = false; // the link died; the loop has not heard yet
        Assert.False(Press());

        _outbox.Add("BOOT", "hello", "topic3", Encoding.UTF8.GetBytes("hello"), 1, false);
        Assert.Contains("BOOT: not connected; hello will be sent once MQTT is connected", _monitor.Lines);
        Assert.True(_outbox.Pump()); // nothing is tried on the dead client
        Assert.Equal(2, _outbox.Count);

        _outbox.Close();
        Connect();
        _outbox.Pump();
        Assert.Equal(new[] { "topic2", "topic3" }, _mqtt.Publishes.Select(p => p.Topic));
    }

    [Fact]
    public void Sent_counts_every_handover_and_Resent_only_the_ones_sent_again()
    {
        Press();
        Assert.Equal((1, 0), (_outbox.Sent, _outbox.Resent));

        _outbox.Close();
        Connect();
        _outbox.Pump();
        Assert.Equal((2, 1), (_outbox.Sent, _outbox.Resent));
    }

    [Fact]
    public void A_publish_that_fails_for_another_reason_says_why_and_the_message_waits_for_the_next_connection()
    {
        _mqtt.ThrowOnPublish = true;
        Assert.False(Press());
        Assert.Contains("BOOT: publish failed (socket closed); hello will be sent after reconnecting", _monitor.Lines);
        Assert.Equal(1, _outbox.Count);

        _mqtt.ThrowOnPublish = false;
        _outbox.Close();
        Connect();
        _outbox.Pump();
        Assert.Equal(1, Hellos);
    }

    [Fact]
    public void The_acks_of_every_kept_message_on_two_connections_and_of_eight_other_publishes_all_fit_between_two_passes()
    {
        for (int i = 1; i <= 4; i++)
        {
            _outbox.Add("BOOT", "hello", "topic" + i, Encoding.UTF8.GetBytes("hello"), 1, false);
        }

        _outbox.Pump();
        var first = _mqtt.PublishIds.ToList();
        _outbox.Close();
        Connect();
        _outbox.Pump();
        var second = _mqtt.PublishIds.Skip(4).ToList();
        Assert.Equal(4, second.Count);

        // The loop is busy while the library reports: the new connection's acks first, then the late ones of the
        // old connection, then eight for publishes that are not the outbox's (the status topic).
        second.ForEach(id => _mqtt.Ack(id));
        first.ForEach(id => _mqtt.Ack(id));
        for (int id = 100; id < 108; id++)
        {
            _mqtt.Ack((_mqtt.Connection, id));
        }

        _outbox.Pump();
        Assert.Equal(0, _outbox.Count);
        Assert.Equal(8, _mqtt.PublishIds.Count); // nothing given up, nothing sent a third time
    }

    private sealed class AcksTo(Outbox outbox) : IMqttListener
    {
        public void OnMessage(string topic, byte[] payload, int qos) { }
        public void OnSubscribed(int connection, int messageId, int grantedQos) { }
        public void OnPublished(int connection, int messageId, bool confirmed) => outbox.OnPublished(connection, messageId, confirmed);
        public void OnConnectionClosed(int connection) { }
    }
}
