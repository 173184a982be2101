using System;

namespace IotyDevice.Host.Mqtt
{
    /// <summary>Reads the cause out of what MQTTnet throws: it wraps the socket, TLS or timeout exception that
    /// says what really happened. Shared by the transport's fault mapping and the simulator's App Builder peer.</summary>
    public static class ExceptionChain
    {
        /// <summary>The first <typeparamref name="T"/> along the InnerException chain (into the first exception of
        /// an AggregateException), or null.</summary>
        public static T Find<T>(Exception e) where T : Exception
        {
            for (; e != null; e = e.InnerException)
            {
                if (e is T found) return found;
                if (e is AggregateException aggregate && aggregate.InnerExceptions.Count > 0)
                {
                    T inner = Find<T>(aggregate.InnerExceptions[0]);
                    if (inner != null) return inner;
                }
            }
            return null;
        }

        /// <summary>The end of the InnerException chain: usually the message worth showing.</summary>
        public static Exception Innermost(Exception e)
        {
            while (e.InnerException != null) e = e.InnerException;
            return e;
        }
    }
}
