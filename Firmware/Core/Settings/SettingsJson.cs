namespace IotyDevice.Core
{
    /// <summary>settings.json text made to read the same on the board (nanoFramework.Json 2.2.203) and on the PC
    /// (System.Text.Json), before either parses it. Both readers call <see cref="Prepare"/>.</summary>
    /// <remarks>
    /// What nanoFramework.Json does differently (nanoframework/nanoFramework.Json : nanoFramework.Json/JsonConvert.cs,
    /// Converters/StringConverter.cs): a leading UTF-8 BOM is an unknown character and throws; <c>null</c> becomes ""
    /// for a text property and throws for a number; a text value that ends with a double quote (and does not start with
    /// one) loses its first and last characters. So: the BOM goes, a member whose value is null is left out (it keeps
    /// its default, as a missing one does), and a value ending with a quote is refused with a line naming it.
    /// Works on the flat object settings.json is; anything else is returned as it came, for the parser to judge.
    /// </remarks>
    public static class SettingsJson
    {
        /// <summary>The text to parse, or null with <paramref name="problem"/> set (a line naming the property, never
        /// its value: it may be a password).</summary>
        public static string Prepare(string text, string location, out string problem)
        {
            problem = null;
            if (text.Length > 0 && text[0] == '\uFEFF')
            {
                text = text.Substring(1);
            }

            char[] kept = new char[text.Length];
            int count = 0;
            int memberStart = -1; // where in kept the '{' or ',' opening the current member is
            bool dropComma = false;
            bool inString = false;
            bool escaped = false;
            bool isValue = false;
            bool lastWasEscapedQuote = false;
            int depth = 0;
            char significant = '\0';
            int nameStart = 0;
            string name = null;
            for (int i = 0; i < text.Length; i++)
            {
                char c = text[i];
                if (inString)
                {
                    kept[count++] = c;
                    if (escaped)
                    {
                        escaped = false;
                        lastWasEscapedQuote = c == '"';
                    }
                    else if (c == '\\')
                    {
                        escaped = true;
                    }
                    else if (c == '"')
                    {
                        inString = false;
                        if (!isValue)
                        {
                            name = new string(kept, nameStart, count - 1 - nameStart);
                        }
                        else if (lastWasEscapedQuote && depth == 1 && !StartsWithQuote(text, ValueStart(text, i)))
                        {
                            problem = location + ": " + name + " ends with a double quote (\"), which the board reads wrongly; "
                                      + "leave that character out";
                            return null;
                        }
                    }
                    else
                    {
                        lastWasEscapedQuote = false;
                    }

                    continue;
                }

                if (c == '"')
                {
                    inString = true;
                    isValue = significant == ':';
                    lastWasEscapedQuote = false;
                    nameStart = count + 1;
                    kept[count++] = c;
                    significant = c;
                    continue;
                }

                if (c == '{' || c == '[')
                {
                    depth++;
                }
                else if (c == '}' || c == ']')
                {
                    depth--;
                }

                if (depth == 1 && (c == '{' || c == ','))
                {
                    if (c == ',' && dropComma)
                    {
                        dropComma = false;
                        significant = c;
                        continue;
                    }

                    memberStart = count;
                    kept[count++] = c;
                    significant = c;
                    continue;
                }

                if (depth == 1 && c == 'n' && significant == ':' && memberStart >= 0 && IsNull(text, i))
                {
                    // Leave the whole member out: from its comma, or from just after '{' taking the next comma.
                    if (kept[memberStart] == ',')
                    {
                        count = memberStart;
                    }
                    else
                    {
                        count = memberStart + 1;
                        dropComma = true;
                    }

                    significant = kept[count - 1];
                    i += 3;
                    continue;
                }

                dropComma = dropComma && c != '}';
                kept[count++] = c;
                if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
                {
                    significant = c;
                }
            }

            return new string(kept, 0, count);
        }

        /// <summary>An escaped quote at <paramref name="start"/>: nanoFramework.Json reads such a value right.</summary>
        private static bool StartsWithQuote(string text, int start)
        {
            return start + 1 < text.Length && text[start] == '\\' && text[start + 1] == '"';
        }

        private static bool IsNull(string text, int at)
        {
            if (at + 4 > text.Length || text[at + 1] != 'u' || text[at + 2] != 'l' || text[at + 3] != 'l')
            {
                return false;
            }

            return at + 4 == text.Length || !IsLetter(text[at + 4]);
        }

        private static bool IsLetter(char c)
        {
            return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
        }

        /// <summary>The index of the first character of the string value that closes at <paramref name="closing"/>
        /// (just after its opening quote).</summary>
        private static int ValueStart(string text, int closing)
        {
            int i = closing - 1;
            while (i > 0)
            {
                if (text[i] == '"')
                {
                    int backslashes = 0;
                    for (int j = i - 1; j >= 0 && text[j] == '\\'; j--)
                    {
                        backslashes++;
                    }

                    if (backslashes % 2 == 0)
                    {
                        return i + 1;
                    }
                }

                i--;
            }

            return 0;
        }
    }
}
