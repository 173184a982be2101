namespace IotyDevice.Core
{
    /// <summary>The MQTT library's callbacks, on its own threads: each records what happened where the loop will
    /// look for it and wakes the loop, nothing more.</summary>
    public class LibraryEvents : IMqttListener
    {
        private readonly Inbox _inbox;
        private readonly Subscriptions _subscriptions;
        private readonly Outbox _outbox;
        private readonly BrokerConnection _connection;
        private readonly Wakeup _wakeup;

        public LibraryEvents(Inbox inbox, Subscriptions subscriptions, Outbox outbox, BrokerConnection connection, Wakeup wakeup)
        {
            _inbox = inbox;
            _subscriptions = subscriptions;
            _outbox = outbox;
            _connection = connection;
            _wakeup = wakeup;
        }

        public void OnMessage(string topic, byte[] payload, int qos)
        {
            _inbox.Put(topic, payload, qos > 0);
            _connection.CountArrival();
            _wakeup.Set();
        }

        public void OnSubscribed(int connection, int messageId, int grantedQos)
        {
            _subscriptions.OnSubscribed(connection, messageId, grantedQos);
            _wakeup.Set();
        }

        public void OnPublished(int connection, int messageId, bool confirmed)
        {
            _outbox.OnPublished(connection, messageId, confirmed);
            _wakeup.Set();
        }

        public void OnConnectionClosed(int connection)
        {
            if (_connection.OnClosedByLibrary(connection))
            {
                _wakeup.Set();
            }
        }
    }
}
