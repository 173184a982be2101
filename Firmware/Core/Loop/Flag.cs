using System.Threading;

namespace IotyDevice.Core
{
    /// <summary>A bool shared between threads. nanoFramework's mscorlib has no 'volatile' (IsVolatile),
    /// so visibility across threads comes from Interlocked.</summary>
    public class Flag
    {
        private int _value;

        public bool IsSet
        {
            get { return Interlocked.CompareExchange(ref _value, 0, 0) != 0; }
        }

        public void Set()
        {
            Interlocked.Exchange(ref _value, 1);
        }

        public void Clear()
        {
            Interlocked.Exchange(ref _value, 0);
        }
    }
}
