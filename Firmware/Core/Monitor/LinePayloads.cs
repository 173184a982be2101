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
            int size = 0;
            for (int i = 0; i < count; i++)
            {
                size += BytesOf(chars, count, ref i);
            }

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
            int o = 0;
            for (int i = 0; i < count; i++)
            {
                int cp = CodePoint(chars, count, ref i);
                if (cp < 0x80)
                {
                    bytes[o++] = (byte)cp;
                }
                else if (cp < 0x800)
                {
                    bytes[o++] = (byte)(0xC0 | (cp >> 6));
                    bytes[o++] = (byte)(0x80 | (cp & 0x3F));
                }
                else if (cp < 0x10000)
                {
                    bytes[o++] = (byte)(0xE0 | (cp >> 12));
                    bytes[o++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    bytes[o++] = (byte)(0x80 | (cp & 0x3F));
                }
                else
                {
                    bytes[o++] = (byte)(0xF0 | (cp >> 18));
                    bytes[o++] = (byte)(0x80 | ((cp >> 12) & 0x3F));
                    bytes[o++] = (byte)(0x80 | ((cp >> 6) & 0x3F));
                    bytes[o++] = (byte)(0x80 | (cp & 0x3F));
                }
            }

            return bytes;
        }

        private static int BytesOf(char[] chars, int count, ref int i)
        {
            int cp = CodePoint(chars, count, ref i);
            return cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
        }

        /// <summary>The code point at i; a surrogate pair moves i to its second half.</summary>
        private static int CodePoint(char[] chars, int count, ref int i)
        {
            char c = chars[i];
            if (c >= 0xD800 && c <= 0xDBFF && i + 1 < count && chars[i + 1] >= 0xDC00 && chars[i + 1] <= 0xDFFF)
            {
                i++;
                return 0x10000 + ((c - 0xD800) << 10) + (chars[i] - 0xDC00);
            }

            return c >= 0xD800 && c <= 0xDFFF ? Utf8.Replacement : c;
        }
    }
}
