namespace IotyDevice.Core
{
    /// <summary>Turns a line in a char buffer into the exact-size UTF-8 byte[] a publish needs, reusing arrays so a
    /// steady mirror allocates nothing. The transport may still hold a payload after Publish returns (the board's
    /// library sends it from its own thread), so an array is only reused once <see cref="ReuseAfterMs"/> have passed
    /// since it was handed over; a younger one of the right size is left alone and a new array made instead.</summary>
    public class LinePayloads
    {
        public const int ReuseAfterMs = 1000;

        private readonly byte[][] _arrays;
        private readonly long[] _handedAtMs;

        /// <param name="slots">Arrays kept; more than the lines sent per <see cref="ReuseAfterMs"/> lets a steady
        /// stream of same-size lines reuse them all.</param>
        public LinePayloads(int slots)
        {
            _arrays = new byte[slots][];
            _handedAtMs = new long[slots];
        }

        /// <summary>chars[0..count) as UTF-8 (an unpaired surrogate becomes U+FFFD) in an array of exactly that size.</summary>
        public byte[] Encode(char[] chars, int count, long nowMs)
        {
            int size = Utf8.EncodedLength(chars, count);

            int slot = -1;
            int victim = -1; // an empty slot, else the one handed over longest ago
            for (int s = 0; s < _arrays.Length; s++)
            {
                byte[] a = _arrays[s];
                if (a != null && a.Length == size && nowMs - _handedAtMs[s] >= ReuseAfterMs)
                {
                    slot = s;
                    break;
                }

                if (victim < 0 || (_arrays[victim] != null && (a == null || _handedAtMs[s] < _handedAtMs[victim])))
                {
                    victim = s;
                }
            }

            if (slot < 0)
            {
                slot = victim;
                _arrays[slot] = new byte[size];
            }

            byte[] bytes = _arrays[slot];
            _handedAtMs[slot] = nowMs;
            Utf8.Encode(chars, count, bytes);
            return bytes;
        }
    }
}
