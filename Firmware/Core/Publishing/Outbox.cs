using System;
using System.Collections;

namespace IotyDevice.Core
{
    /// <summary>Where a BOOT press (or anything else the device must not lose) becomes a PUBLISH, and stays owned
    /// by the device until the broker has confirmed it: an at-least-once outbox on top of <see cref="IMqttTransport"/>.
    /// </summary>
    /// <remarks>
    /// The promise, for QoS 1 (and 2) publishes: a message is kept until its PUBACK arrives
    /// (<see cref="OnPublished"/>). If the connection ends first, or the library gives up on it, it is published
    /// again on the next connection, once per drop; a real resend may reach subscribers twice (counted in
    /// <see cref="Resent"/>), a loss is not allowed. QoS 0 publishes are handed over and forgotten.
    /// While offline, one message per topic is kept (the first); a later one for the same topic is not queued, and
    /// the monitor says so. The outbox holds at most its capacity (waiting plus unconfirmed), so a stalled link
    /// cannot eat the heap.
    /// Threads: everything runs on the main loop except <see cref="OnPublished"/>, which only records the ack;
    /// acks are matched in <see cref="Pump"/>, after the Publish call that returned the id has returned.
    /// Every monitor line names the sender's label and the payload text, e.g. "BOOT: sent hello to topic2".
    /// </remarks>
    public class Outbox
    {
        private readonly IMqttTransport _mqtt;
        private readonly IMonitor _monitor;
        private readonly int _capacity;
        private readonly AckQueue _acks;
        private readonly ArrayList _entries = new ArrayList(); // oldest first; main loop only
        private int _connection; // the connection publishes go to; 0 while closed
        private int _resent;
        private int _sent;

        public Outbox(IMqttTransport mqtt, IMonitor monitor, int capacity)
        {
            _mqtt = mqtt;
            _monitor = monitor;
            _capacity = capacity;
            _acks = new AckQueue(capacity * 2 + 8);
        }

        /// <summary>Messages kept: waiting to be sent or sent and not yet confirmed.</summary>
        public int Count { get { return _entries.Count; } }

        /// <summary>Publishes sent again because their confirmation never came; each may have been a duplicate.</summary>
        public int Resent { get { return _resent; } }

        /// <summary>Publishes handed to the transport since start, resends included (e.g. for the status light).</summary>
        public int Sent { get { return _sent; } }

        /// <summary>Takes a message to publish: the next <see cref="Pump"/> sends it if a connection is open, otherwise it
        /// is kept for the next one. <paramref name="label"/> and <paramref name="text"/> are what the monitor lines
        /// call the sender and the payload ("BOOT", "hello").</summary>
        public void Add(string label, string text, string topic, byte[] payload, int qos, bool retain)
        {
            Entry entry = new Entry(label, text, topic, payload, qos, retain);
            if (_entries.Count >= _capacity)
            {
                Print(entry, "not kept: " + _entries.Count.ToString() + " earlier messages still wait for the broker to confirm them");
            }
            else if (_connection != 0)
            {
                _entries.Add(entry);
            }
            else if (WaitingFor(topic))
            {
                Print(entry, "not connected; one " + text + " is already waiting to be sent");
            }
            else
            {
                _entries.Add(entry);
                Print(entry, "not connected; " + text + " will be sent once MQTT is connected");
            }
        }

        /// <summary>From now on <see cref="Pump"/> sends what waits to <paramref name="connection"/> (the number from
        /// <see cref="ConnectResult.Connection"/>). Open only a connection known to be usable: the caller
        /// <see cref="Close"/>s the outbox as soon as it learns of a loss, before the next Pump.</summary>
        public void Open(int connection)
        {
            _connection = connection;
        }

        /// <summary>The connection has ended (or is about to be closed): every unconfirmed message is sent again on
        /// the next one. Safe to call when nothing is open.</summary>
        public void Close()
        {
            _connection = 0;
            for (int i = 0; i < _entries.Count; i++)
            {
                Entry entry = (Entry)_entries[i];
                if (entry.Connection != 0)
                {
                    entry.Connection = 0;
                    entry.Resend = true;
                    Print(entry, entry.Text + " not confirmed before the connection dropped; sending it again");
                }
            }
        }

        /// <summary>Main loop, every pass: matches the acks that arrived, then sends what waits if a connection is
        /// open. Returns false when the transport said the connection is gone (the caller treats it as lost; the
        /// message stays kept).</summary>
        public bool Pump()
        {
            int connection;
            int messageId;
            int code;
            while (_acks.TryTake(out connection, out messageId, out code))
            {
                Confirm(connection, messageId, code != 0);
            }

            if (_connection == 0)
            {
                return true;
            }

            for (int i = 0; i < _entries.Count; i++)
            {
                Entry entry = (Entry)_entries[i];
                if (entry.Connection != 0 || entry.NotOn == _connection)
                {
                    continue;
                }

                int before = _entries.Count;
                if (!Send(entry))
                {
                    return false;
                }

                i -= before - _entries.Count; // a QoS 0 entry leaves as soon as it is sent
            }

            return true;
        }

        /// <summary>Called on the MQTT library's thread with the transport's PUBACK report; only records it.</summary>
        public void OnPublished(int connection, int messageId, bool confirmed)
        {
            _acks.Put(connection, messageId, confirmed ? 1 : 0);
        }

        private void Confirm(int connection, int messageId, bool confirmed)
        {
            int i = IndexOf(connection, messageId);
            if (i < 0)
            {
                return; // not ours (e.g. the status publish), or of a connection already left behind
            }

            if (confirmed)
            {
                _entries.RemoveAt(i);
                return;
            }

            // The library gave up on it (it may not have reached the broker). M2Mqtt does that after its own three
            // tries, typically on a link that died silently and still reads as connected until the keepalive
            // notices: resending on it would only go round again. The next connection takes it.
            Entry entry = (Entry)_entries[i];
            entry.Connection = 0;
            entry.NotOn = connection;
            entry.Resend = true;
            Print(entry, entry.Text + " not confirmed by the broker; it will be sent again after reconnecting");
        }

        private int IndexOf(int connection, int messageId)
        {
            for (int i = 0; i < _entries.Count; i++)
            {
                Entry entry = (Entry)_entries[i];
                if (entry.Connection == connection && entry.MessageId == messageId)
                {
                    return i;
                }
            }

            return -1;
        }

        private bool Send(Entry entry)
        {
            int messageId;
            try
            {
                messageId = _mqtt.Publish(entry.Topic, entry.Payload, entry.Qos, entry.Retain);
            }
            catch (MqttNotConnectedException)
            {
                _connection = 0;
                Print(entry, "the connection has just dropped; " + entry.Text + " will be sent after reconnecting");
                return false;
            }
            catch (Exception e)
            {
                _connection = 0;
                Print(entry, "publish failed (" + e.Message + "); " + entry.Text + " will be sent after reconnecting");
                return false;
            }

            _sent++;
            if (entry.Resend)
            {
                _resent++;
            }

            Print(entry, "sent " + entry.Text + " to " + entry.Topic + (entry.Resend ? " again" : ""));
            if (entry.Qos == 0)
            {
                _entries.Remove(entry);
            }
            else
            {
                entry.Connection = _connection;
                entry.MessageId = messageId;
            }

            return true;
        }

        private bool WaitingFor(string topic)
        {
            for (int i = 0; i < _entries.Count; i++)
            {
                Entry entry = (Entry)_entries[i];
                if (entry.Connection == 0 && entry.Topic == topic)
                {
                    return true;
                }
            }

            return false;
        }

        private void Print(Entry entry, string what)
        {
            _monitor.WriteLine(entry.Label + ": " + what);
        }

        private class Entry
        {
            public readonly string Label;
            public readonly string Text;
            public readonly string Topic;
            public readonly byte[] Payload;
            public readonly int Qos;
            public readonly bool Retain;

            /// <summary>The connection it was handed to and is unconfirmed on; 0 while it waits to be sent.</summary>
            public int Connection;
            public int MessageId;

            /// <summary>It was handed to a connection before and not confirmed: sending it again may duplicate it.</summary>
            public bool Resend;

            /// <summary>The connection whose library gave up on it: not sent there again. 0 for none.</summary>
            public int NotOn;

            public Entry(string label, string text, string topic, byte[] payload, int qos, bool retain)
            {
                Label = label;
                Text = text;
                Topic = topic;
                Payload = payload;
                Qos = qos;
                Retain = retain;
            }
        }
    }
}
