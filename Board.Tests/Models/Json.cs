using System.Reflection;
using System.Text.Json;

// Model of nanoframework/nanoFramework.Json v2.2.203 : nanoFramework.Json/JsonConvert.cs and Converters/*.cs, for
// the object-of-properties shape settings.json has. JSON structure is read with System.Text.Json; what the board's
// library does differently is modelled on top, each rule naming its upstream lines. Not modelled: single-quoted
// strings, nested objects and arrays, strings read as dates (18+ characters that parse as a date).
namespace nanoFramework.Json
{
    /// <summary>DeserializationException.cs (lines 15-17): no message.</summary>
    public class DeserializationException : System.Exception
    {
    }

    public static class JsonConvert
    {
        /// <summary>DeserializeObject(string, Type) (JsonConvert.cs lines 50-71): runs the default constructor, then sets
        /// each public property named exactly (case-sensitive) like a member of the text; unknown members are
        /// skipped.</summary>
        public static object DeserializeObject(string value, System.Type type)
        {
            // The lexer (GetNextTokenInternal, lines 1048-1316) reads UTF-8 characters and throws
            // DeserializationException at any character outside a string it does not know: a leading BOM (U+FEFF)
            // is one of them.
            if (value.Length > 0 && value[0] == '\uFEFF')
            {
                throw new DeserializationException();
            }

            JsonDocument document;
            try
            {
                document = JsonDocument.Parse(value);
            }
            catch (JsonException)
            {
                throw new DeserializationException();
            }

            using (document)
            {
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new DeserializationException();
                }

                object instance = System.Activator.CreateInstance(type);
                foreach (JsonProperty member in document.RootElement.EnumerateObject())
                {
                    PropertyInfo property = type.GetProperty(member.Name, BindingFlags.Public | BindingFlags.Instance);
                    if (property == null || !property.CanWrite)
                    {
                        continue;
                    }

                    property.SetValue(instance, Convert(member.Value, property.PropertyType));
                }

                return instance;
            }
        }

        private static object Convert(JsonElement element, System.Type type)
        {
            if (type == typeof(string))
            {
                // Converters/StringConverter.cs ToType (lines 88-142): null becomes "".
                if (element.ValueKind == JsonValueKind.Null)
                {
                    return string.Empty;
                }

                return element.ValueKind == JsonValueKind.String ? StringToType(LexedString(element.GetString())) : element.GetRawText();
            }

            if (type == typeof(int))
            {
                // Converters/IntConverter.cs ToType (lines 23-26): Convert.ToInt32(value.ToString()); null throws.
                if (element.ValueKind == JsonValueKind.Null)
                {
                    throw new System.NullReferenceException();
                }

                return System.Convert.ToInt32(element.ValueKind == JsonValueKind.String ? element.GetString() : element.GetRawText(), System.Globalization.CultureInfo.InvariantCulture);
            }

            if (type == typeof(bool))
            {
                // Converters/BoolConverter.cs ToType (lines 21-24): a cast; only true/false get through.
                if (element.ValueKind == JsonValueKind.True || element.ValueKind == JsonValueKind.False)
                {
                    return element.GetBoolean();
                }

                throw new System.InvalidCastException();
            }

            throw new System.NotImplementedException("the model reads string, int and bool properties");
        }

        /// <summary>The lexer's string token (JsonConvert.cs lines 1240-1267): escapes already resolved; a value that
        /// starts with a quote gets an extra pair of quotes, "since an extra set is removed during de-serialization".</summary>
        private static string LexedString(string unescaped)
        {
            return unescaped.StartsWith("\"", System.StringComparison.Ordinal) ? "\"" + unescaped + "\"" : unescaped;
        }

        /// <summary>StringConverter.ToType (lines 97-107): a string that starts or ends with a quote loses its first and
        /// last characters. (Its escape pass, lines 109-139, only matters for text holding a backslash sequence.)</summary>
        private static string StringToType(string lexed)
        {
            if (!lexed.StartsWith("\"", System.StringComparison.Ordinal) && !lexed.EndsWith("\"", System.StringComparison.Ordinal))
            {
                return lexed;
            }

            return lexed.Substring(1, lexed.Length - 2);
        }
    }
}
