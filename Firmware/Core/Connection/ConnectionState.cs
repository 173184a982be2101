namespace IotyDevice.Core
{
    /// <summary>Where the device is on its way to the broker. <see cref="BrokerConnection"/> moves between these in one
    /// switch (its Poll); the MQTT library's callbacks only record what happened.</summary>
    public enum ConnectionState
    {
        NotStarted = 0,
        /// <summary>The settings have problems; they are read again every few seconds (the loop says so; the
        /// connection has not started).</summary>
        SettingsInvalid = 1,
        JoiningWifi = 2,
        /// <summary>TLS checks certificate dates, so nothing connects before network time has arrived.</summary>
        WaitingForClock = 3,
        ConnectingMqtt = 4,
        Online = 5,
        /// <summary>Backing off after a failure; then back to the state that failed.</summary>
        WaitingToRetry = 6,
    }
}
