using IotyDevice.Core;

namespace Firmware.Tests.Core;

public class TopicFilterTests
{
    [Theory]
    [InlineData("a/b", "a/b", true)]
    [InlineData("a/b", "a/c", false)]
    [InlineData("a/+", "a/b", true)]
    [InlineData("a/+", "a/b/c", false)]
    [InlineData("a/+", "a", false)]
    [InlineData("a/#", "a", true)]
    [InlineData("a/#", "a/b/c", true)]
    [InlineData("#", "a/b", true)]
    [InlineData("+/+", "/b", true)]
    [InlineData("+", "$SYS", false)]
    [InlineData("#", "$SYS/x", false)]
    [InlineData("$SYS/#", "$SYS/x", true)]
    [InlineData("a/b", "a/b/c", false)]
    [InlineData("a/b", "a", false)]
    [InlineData("a/b/c", "a", false)]
    public void Filters_match_topics_as_a_broker_matches_them(string filter, string topic, bool matches)
    {
        Assert.Equal(matches, TopicFilter.CouldMatch(filter, topic, ""));
    }

    [Theory]
    [InlineData("240ac412abfe/monitor", "", true)]
    [InlineData("240AC412ABFE/monitor", "", false)] // chip IDs are lowercase hex
    [InlineData("240ac412abf/monitor", "", false)]
    [InlineData("x-240ac412abfe/monitor", "x-", true)]
    [InlineData("240ac412abfe/monitor", "x-", false)]
    [InlineData("99999999ffff/monitor", "", true)]   // the last digit and the last hex letter
    [InlineData("99999999fffg/monitor", "", false)]
    [InlineData("99999999fff:/monitor", "", false)]  // ':' follows '9' in ASCII
    public void The_client_id_placeholder_stands_for_the_prefix_and_twelve_hex_digits(string filter, string prefix, bool matches)
    {
        Assert.Equal(matches, TopicFilter.CouldMatch(filter, "{clientId}/monitor", prefix));
    }

    [Fact]
    public void No_prefix_is_the_empty_prefix()
    {
        Assert.True(TopicFilter.CouldMatch("240ac412abfe/monitor", "{clientId}/monitor", null));
        Assert.False(TopicFilter.CouldMatch("x240ac412abfe/monitor", "{clientId}/monitor", null));
    }

    [Theory]
    [InlineData("240ac412abfe-board/monitor", true)]
    [InlineData("240ac412abfe-boar/monitor", false)]
    [InlineData("240ac412abfe-boardx/monitor", false)]
    [InlineData("240ac412abfe-bored/monitor", false)]
    [InlineData("-board/monitor", false)]
    public void Text_after_the_placeholder_must_follow_the_twelve_hex_digits(string filter, bool matches)
    {
        Assert.Equal(matches, TopicFilter.CouldMatch(filter, "{clientId}-board/monitor", ""));
    }

    [Theory]
    [InlineData("240ac412abfe240ac412abfe/monitor")]
    [InlineData("anything/monitor")]
    public void Two_placeholders_in_one_level_could_match_any_filter_level(string filter)
    {
        // Assume the worst: the lesson's topic is refused rather than let the device receive its own monitor lines.
        Assert.True(TopicFilter.CouldMatch(filter, "{clientId}{clientId}/monitor", ""));
    }
}
