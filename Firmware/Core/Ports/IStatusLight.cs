namespace IotyDevice.Core
{
    /// <summary>The status LED: only switches a pin. Which pin and when is the core's (<see cref="StatusLight"/>).</summary>
    public interface IStatusLight
    {
        /// <summary>Drives GPIO <paramref name="pin"/> high (on) or low; the adapter opens the pin as an output on
        /// first use. Never throws: a pin that cannot be driven just stays dark.</summary>
        void Set(int pin, bool on);
    }
}
