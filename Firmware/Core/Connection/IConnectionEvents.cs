namespace IotyDevice.Core
{
    /// <summary>What <see cref="BrokerConnection"/> tells the loop: a connection opened (subscribe, say online, let
    /// the outbox send) or is being closed (the outbox stops sending to it). Called on the main loop.</summary>
    public interface IConnectionEvents
    {
        /// <summary>The broker accepted the CONNECT; <paramref name="connection"/> is the transport's number for it.
        /// Anything thrown here is printed and counts as the connection lost.</summary>
        void Opened(int connection);

        /// <summary>The connection the loop was using is being closed, or was lost.</summary>
        void Closing();
    }
}
