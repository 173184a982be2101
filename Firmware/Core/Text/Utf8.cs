namespace IotyDevice.Core
{
    /// <summary>UTF-8 without nanoFramework.System.Text: the core uses mscorlib only, and payloads from the broker
    /// are untrusted bytes that must print safely instead of throwing.</summary>
    public static class Utf8
    {
        public const char Replacement = '\uFFFD';

        /// <summary>Characters never printed as they are: C0 and C1 controls and DEL, which a terminal takes as
        /// commands (a line break forges a line, ESC and CSI move the cursor), and the bidi overrides and isolates,
        /// which make the rest of a line read backwards.</summary>
        public static bool MustReplace(int codePoint)
        {
            return codePoint < 0x20 || (codePoint >= 0x7F && codePoint <= 0x9F)
                || (codePoint >= 0x202A && codePoint <= 0x202E) || (codePoint >= 0x2066 && codePoint <= 0x2069);
        }

        /// <summary>The text with every <see cref="MustReplace"/> character replaced by U+FFFD, the same
        /// replacement payloads get; the text itself when there is none (no allocation).</summary>
        public static string Printable(string text)
        {
            if (text == null)
            {
                return null;
            }

            char[] chars = null;
            for (int i = 0; i < text.Length; i++)
            {
                if (MustReplace(text[i]))
                {
                    if (chars == null)
                    {
                        chars = text.ToCharArray();
                    }

                    chars[i] = Replacement;
                }
            }

            return chars == null ? text : new string(chars);
        }

        /// <summary>Encodes a string; unpaired surrogates become U+FFFD.</summary>
        public static byte[] Encode(string text)
        {
            char[] chars = text.ToCharArray();
            byte[] bytes = new byte[EncodedLength(chars, chars.Length)];
            Encode(chars, chars.Length, bytes);
            return bytes;
        }

        /// <summary>How many bytes chars[0..count) take as UTF-8.</summary>
        public static int EncodedLength(char[] chars, int count)
        {
            int length = 0;
            for (int i = 0; i < count; i++)
            {
                int cp = CodePointAt(chars, count, ref i);
                length += cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4;
            }

            return length;
        }

        /// <summary>Writes chars[0..count) as UTF-8 at the start of <paramref name="bytes"/> (at least
        /// <see cref="EncodedLength"/> long) without allocating; returns the bytes written.</summary>
        public static int Encode(char[] chars, int count, byte[] bytes)
        {
            int o = 0;
            for (int i = 0; i < count; i++)
            {
                int cp = CodePointAt(chars, count, ref i);
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

            return o;
        }

        /// <summary>Decodes bytes[start..start+count) into chars, stopping when <paramref name="maxChars"/> are written.
        /// Each invalid or truncated sequence (its maximal subpart, as the Unicode standard recommends) becomes one
        /// U+FFFD; control characters become U+FFFD too, so a payload can never break the monitor line.
        /// Returns the number of chars written; <paramref name="consumed"/> says how many bytes they came from.</summary>
        public static int Decode(byte[] bytes, int start, int count, char[] chars, int charStart, int maxChars, out int consumed)
        {
            int i = start;
            int end = start + count;
            int o = charStart;
            int limit = charStart + maxChars;
            while (i < end)
            {
                int b = bytes[i];
                int cp;
                int need;
                if (b < 0x80)
                {
                    cp = b; need = 0;
                }
                else if (b >= 0xC2 && b <= 0xDF)
                {
                    cp = b & 0x1F; need = 1;
                }
                else if (b >= 0xE0 && b <= 0xEF)
                {
                    cp = b & 0x0F; need = 2;
                }
                else if (b >= 0xF0 && b <= 0xF4)
                {
                    cp = b & 0x07; need = 3;
                }
                else
                {
                    // C0, C1 (overlong) and F5..FF never start a sequence; a stray continuation byte neither.
                    cp = -1; need = 0;
                }

                int j = i + 1;
                while (cp >= 0 && need > 0)
                {
                    if (j >= end || (bytes[j] & 0xC0) != 0x80 || !SecondByteAllowed(b, bytes[j], j == i + 1))
                    {
                        cp = -1;
                        break;
                    }

                    cp = (cp << 6) | (bytes[j] & 0x3F);
                    j++;
                    need--;
                }

                int width = cp >= 0x10000 ? 2 : 1;
                if (o + width > limit)
                {
                    break;
                }

                if (cp < 0 || MustReplace(cp))
                {
                    chars[o++] = Replacement;
                }
                else if (cp < 0x10000)
                {
                    chars[o++] = (char)cp;
                }
                else
                {
                    cp -= 0x10000;
                    chars[o++] = (char)(0xD800 + (cp >> 10));
                    chars[o++] = (char)(0xDC00 + (cp & 0x3FF));
                }

                i = j;
            }

            consumed = i - start;
            return o - charStart;
        }

        // The second byte's range is narrower after E0, ED, F0 and F4: that alone rules out overlong forms,
        // surrogates and code points above U+10FFFF, and makes an invalid sequence end at its maximal subpart,
        // so one bad byte never swallows the good ones after it.
        private static bool SecondByteAllowed(int lead, int second, bool isSecond)
        {
            if (!isSecond)
            {
                return true;
            }

            switch (lead)
            {
                case 0xE0: return second >= 0xA0;
                case 0xED: return second <= 0x9F;
                case 0xF0: return second >= 0x90;
                case 0xF4: return second <= 0x8F;
                default: return true;
            }
        }

        private static int CodePointAt(char[] chars, int count, ref int i)
        {
            char c = chars[i];
            if (c >= 0xD800 && c <= 0xDBFF && i + 1 < count && chars[i + 1] >= 0xDC00 && chars[i + 1] <= 0xDFFF)
            {
                int cp = 0x10000 + ((c - 0xD800) << 10) + (chars[i + 1] - 0xDC00);
                i++;
                return cp;
            }

            return c >= 0xD800 && c <= 0xDFFF ? Replacement : c;
        }
    }
}
