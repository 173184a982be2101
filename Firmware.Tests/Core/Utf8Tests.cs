using System.Text;
using IotyDevice.Core;

namespace Firmware.Tests.Core;

public class Utf8Tests
{
    private static string Decode(byte[] bytes, int maxChars = 1000)
    {
        var chars = new char[maxChars];
        int n = Utf8.Decode(bytes, 0, bytes.Length, chars, 0, maxChars, out _);
        return new string(chars, 0, n);
    }

    [Theory]
    [InlineData("on")]
    [InlineData("héllo wörld")]
    [InlineData("温度 23°C")]
    [InlineData("emoji 😀 ok")]
    public void Valid_utf8_decodes_to_the_same_text(string text)
    {
        Assert.Equal(text, Decode(Encoding.UTF8.GetBytes(text)));
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xFF, 0x62 }, "a\uFFFDb")]
    [InlineData(new byte[] { 0x80 }, "\uFFFD")]
    [InlineData(new byte[] { 0xC3 }, "\uFFFD")] // truncated two-byte sequence
    [InlineData(new byte[] { 0xE2, 0x82, 0x61 }, "\uFFFDa")] // maximal subpart E2 82, then a
    [InlineData(new byte[] { 0xC0, 0xAF }, "\uFFFD\uFFFD")] // overlong '/'
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 }, "\uFFFD\uFFFD\uFFFD")] // encoded surrogate
    [InlineData(new byte[] { 0xF4, 0x90, 0x80, 0x80 }, "\uFFFD\uFFFD\uFFFD\uFFFD")] // above U+10FFFF
    public void Invalid_bytes_become_replacement_characters_as_dotnet_does(byte[] bytes, string expected)
    {
        Assert.Equal(expected, Decode(bytes));
        Assert.Equal(Encoding.UTF8.GetString(bytes), expected); // the same maximal-subpart rule as .NET
    }

    [Fact]
    public void Random_bytes_decode_like_dotnet_apart_from_control_characters()
    {
        var random = new Random(1);
        for (int round = 0; round < 2000; round++)
        {
            var bytes = new byte[random.Next(1, 12)];
            random.NextBytes(bytes);
            string expected = new string(Encoding.UTF8.GetString(bytes)
                .Select(c => c < 0x20 || (c >= 0x7F && c <= 0x9F) || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) ? '\uFFFD' : c).ToArray());
            Assert.Equal(expected, Decode(bytes));
        }
    }

    [Fact]
    public void Control_characters_cannot_break_the_line()
    {
        Assert.Equal("a\uFFFD\uFFFDb\uFFFD", Decode(new byte[] { 0x61, 0x0A, 0x0D, 0x62, 0x1B }));
    }

    [Theory]
    [InlineData("\u0085")] // NEL: a line break to some terminals
    [InlineData("\u009B")] // CSI: the one-character escape sequence
    [InlineData("\u0080")]
    [InlineData("\u009F")]
    [InlineData("\u202A")]
    [InlineData("\u202E")] // RIGHT-TO-LEFT OVERRIDE: "txt.exe" shows as "exe.txt"
    [InlineData("\u2066")]
    [InlineData("\u2069")]
    public void C1_controls_and_bidi_overrides_are_replaced_like_c0_controls(string hidden)
    {
        Assert.Equal("a\uFFFDb", Decode(Encoding.UTF8.GetBytes("a" + hidden + "b")));
        Assert.Equal("a\uFFFDb", Utf8.Printable("a" + hidden + "b"));
    }

    [Fact]
    public void Printable_keeps_ordinary_text_and_replaces_every_control_character()
    {
        Assert.Equal("héllo 温度 😀 \u00A0", Utf8.Printable("héllo 温度 😀 \u00A0"));
        Assert.Equal("\uFFFD[2J\uFFFDMQTT: connected\uFFFD", Utf8.Printable("\u001b[2J\nMQTT: connected\r"));
        Assert.Null(Utf8.Printable(null));
    }

    [Theory]
    [InlineData("ab😀", 3, 2, 2)]       // the pair would need chars 3 and 4
    [InlineData("\U00010000", 1, 0, 0)] // the first four-byte character, room for one char only
    public void Decoding_stops_at_the_char_limit_without_splitting_a_surrogate_pair(string text, int maxChars, int written, int read)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        var chars = new char[maxChars];
        int n = Utf8.Decode(bytes, 0, bytes.Length, chars, 0, maxChars, out int consumed);
        Assert.Equal(written, n);
        Assert.Equal(read, consumed);
    }

    [Theory]
    [InlineData("hello")]
    [InlineData("héllo 温度 😀")]
    [InlineData("\u007F\u0080")]     // the last one-byte and the first two-byte character
    [InlineData("\u07FF\u0800")]     // the last two-byte and the first three-byte character
    [InlineData("\uFFFF\U00010000")] // the last three-byte and the first four-byte character
    [InlineData("😀a")]               // a character after a four-byte one lands right behind it
    public void Encode_matches_dotnet(string text)
    {
        Assert.Equal(Encoding.UTF8.GetBytes(text), Utf8.Encode(text));
    }

    [Fact]
    public void Encode_matches_dotnet_at_every_surrogate_edge()
    {
        string[] cases =
        {
            "\uD7FF\uE000",        // just outside the surrogate range: ordinary characters
            "\uD800\uDC00",        // U+10000, the first pair
            "\uDBFF\uDFFF",        // U+10FFFF, the last pair
            "a\uDBFF",             // a high surrogate at the very end
            "\uDFFFa",             // a lone low surrogate
            "\uDC00\uD800",        // a pair the wrong way round: two replacements
            "\uD800\uD800\uDC00",  // a lone high surrogate before a pair
            "a\uDC00",             // an ordinary character before a lone low surrogate
            "\uE000\uDC00",        // a character above the high surrogates before a low one
            "\uDC00\uDC00",        // two low surrogates: two replacements, not a pair
        };
        foreach (string text in cases)
        {
            Assert.Equal(Encoding.UTF8.GetBytes(text), Utf8.Encode(text));
        }
    }

    [Fact]
    public void Encode_turns_a_lone_surrogate_into_a_replacement_character()
    {
        Assert.Equal(Encoding.UTF8.GetBytes("a\uFFFDb"), Utf8.Encode("a\uD800b"));
    }

    [Theory]
    [InlineData("\u0800")]     // E0 A0 80: the lowest second byte E0 allows
    [InlineData("\uD7FF")]     // ED 9F BF: the highest second byte ED allows
    [InlineData("\U00010000")] // F0 90 80 80: the lowest second byte F0 allows
    [InlineData("\U0010FFFF")] // F4 8F BF BF: the highest second byte F4 allows
    public void The_first_and_last_characters_a_narrow_lead_byte_allows_decode_as_themselves(string text)
    {
        Assert.Equal(text, Decode(Encoding.UTF8.GetBytes(text)));
    }

    [Fact]
    public void Decoding_from_an_offset_counts_only_the_bytes_it_read()
    {
        var bytes = Encoding.UTF8.GetBytes("xxhé");
        var chars = new char[10];
        int n = Utf8.Decode(bytes, 2, bytes.Length - 2, chars, 1, 5, out int consumed);
        Assert.Equal(2, n);
        Assert.Equal(3, consumed);
        Assert.Equal("hé", new string(chars, 1, n));
    }
}
