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
    public void The_client_id_placeholder_stands_for_the_prefix_and_twelve_hex_digits(string filter, string prefix, bool matches)
    {
        Assert.Equal(matches, TopicFilter.CouldMatch(filter, "{clientId}/monitor", prefix));
    }
}
