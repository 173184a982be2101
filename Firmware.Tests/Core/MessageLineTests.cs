using System.Text;
using IotyDevice.Core;

namespace Firmware.Tests.Core;

public class MessageLineTests
{
    private static string Format(string topic, byte[] payload, int maxPayloadChars = 200)
    {
        var line = new MessageLine(maxPayloadChars);
        int n = line.Format(topic, payload);
        return new string(line.Chars, 0, n);
    }

    [Fact]
    public void A_message_is_one_line_naming_its_topic()
    {
        Assert.Equal("Received on topic1: on", Format("topic1", Encoding.UTF8.GetBytes("on")));
    }

    [Fact]
    public void Control_characters_in_a_topic_are_replaced_so_the_message_stays_one_line()
    {
        Assert.Equal("Received on a\uFFFDb\uFFFDc\uFFFD: on", Format("a\nb\rc\u001b", Encoding.UTF8.GetBytes("on")));
    }

    [Fact]
    public void C1_controls_and_bidi_overrides_in_a_topic_are_replaced_too()
    {
        Assert.Equal("Received on a\uFFFDb\uFFFDc\uFFFD: on", Format("a\u0085b\u202Ec\u2066", Encoding.UTF8.GetBytes("on")));
    }

    [Fact]
    public void An_empty_payload_says_so()
    {
        Assert.Equal("Received on topic1: (empty)", Format("topic1", Array.Empty<byte>()));
    }

    [Fact]
    public void A_256_kb_payload_is_cut_and_shows_its_real_size()
    {
        var payload = Enumerable.Repeat((byte)'x', 256 * 1024).ToArray();
        string line = Format("topic1", payload, 200);
        Assert.Equal("Received on topic1: " + new string('x', 200) + "... (262144 bytes)", line);
    }

    [Fact]
    public void Binary_payloads_print_replacement_characters_not_exceptions()
    {
        string line = Format("topic1", new byte[] { 0x89, 0x50, 0x4E, 0x47, 0x00, 0xFF });
        Assert.Equal("Received on topic1: \uFFFDPNG\uFFFD\uFFFD", line);
    }

    [Fact]
    public void The_longest_line_a_cut_topic_and_a_cut_payload_with_a_7_digit_size_fits_the_buffer()
    {
        var payload = Enumerable.Repeat((byte)'x', 1_000_000).ToArray();
        string line = Format(new string('t', 300), payload, 10);
        Assert.Equal("Received on " + new string('t', MessageLine.MaxTopicChars) + "...: " + new string('x', 10) + "... (1000000 bytes)", line);
    }

    [Fact]
    public void A_long_topic_is_cut()
    {
        string topic = new string('t', 300);
        string line = Format(topic, Encoding.UTF8.GetBytes("on"));
        Assert.Equal("Received on " + new string('t', MessageLine.MaxTopicChars) + "...: on", line);
    }

    [Fact]
    public void The_buffer_is_reused_so_a_shorter_line_after_a_longer_one_is_exact()
    {
        var line = new MessageLine(200);
        line.Format("topic1", Encoding.UTF8.GetBytes("a long payload here"));
        int n = line.Format("topic1", Encoding.UTF8.GetBytes("on"));
        Assert.Equal("Received on topic1: on", new string(line.Chars, 0, n));
    }
}
