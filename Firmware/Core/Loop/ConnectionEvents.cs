namespace IotyDevice.Core
{
    /// <summary>What the loop does when <see cref="BrokerConnection"/> opens or closes a connection.</summary>
    public class ConnectionEvents : IConnectionEvents
    {
        private readonly IMqttTransport _mqtt;
        private readonly Outbox _outbox;
        private readonly Subscriptions _subscriptions;
        private readonly Presence _presence;

        public ConnectionEvents(IMqttTransport mqtt, Outbox outbox, Subscriptions subscriptions, Presence presence)
        {
            _mqtt = mqtt;
            _outbox = outbox;
            _subscriptions = subscriptions;
            _presence = presence;
        }

        public void Opened(int connection)
        {
            // What the outbox keeps goes out at the end of this pass, unless this connection is lost by then.
            _outbox.Open(connection);
            // The lesson's topics, every connection; the SUBACKs say whether they were granted (Subscriptions.NextReport).
            _subscriptions.SubscribeAll(_mqtt);
            _presence.SayOnline(_mqtt);
        }

        public void Closing()
        {
            // Unconfirmed publishes go again on the next connection.
            _outbox.Close();
        }
    }
}
