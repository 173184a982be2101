using IotyDevice.Core;

namespace Firmware.Tests.Core;

/// <summary>SettingsJson.Prepare: what both settings readers parse (the readers themselves run side by side in
/// Board.Tests SettingsReadersTests).</summary>
public class SettingsJsonTests
{
    [Theory]
    [InlineData("\uFEFF{\"A\": 1}", "{\"A\": 1}")]
    [InlineData("{\"A\": null}", "{}")]
    [InlineData("{\"A\": null, \"B\": 2}", "{ \"B\": 2}")]
    [InlineData("{\"A\": 1, \"B\": null}", "{\"A\": 1}")]
    [InlineData("{\"A\": null, \"B\": null, \"C\": 3}", "{ \"C\": 3}")]
    [InlineData("{\"A\": 1,\n  \"B\": null\n}", "{\"A\": 1\n}")]
    [InlineData("{\"A\": \"null\", \"B\": \"x, null\"}", "{\"A\": \"null\", \"B\": \"x, null\"}")]
    [InlineData("{\"A\": \"ends with a backslash\\\\\"}", "{\"A\": \"ends with a backslash\\\\\"}")]
    [InlineData("{\"A\": \"\\\"quoted\\\"\"}", "{\"A\": \"\\\"quoted\\\"\"}")]
    [InlineData("{\"A\": {\"B\": null}}", "{\"A\": {\"B\": null}}")]
    [InlineData("{\"A\": nullish}", "{\"A\": nullish}")]
    [InlineData("", "")]
    [InlineData("{\"\": null}", "{}")]
    [InlineData("{\"A\": {\"B\": 1}, \"C\": null}", "{\"A\": {\"B\": 1}}")]
    [InlineData("{\"A\": [1], \"C\": null}", "{\"A\": [1]}")]
    [InlineData("{\"A\": null, \"B\": 2, \"C\": 3}", "{ \"B\": 2, \"C\": 3}")]
    [InlineData("{\"A\": null\n, \"B\": 2}", "{\n \"B\": 2}")]
    [InlineData("{\"A\": null", "{")]
    [InlineData("{\"A\": nu", "{\"A\": nu")]
    [InlineData("{\"A\": nxll}", "{\"A\": nxll}")]
    [InlineData("{\"A\": nuxl}", "{\"A\": nuxl}")]
    [InlineData("{\"A\": nulx}", "{\"A\": nulx}")]
    [InlineData("{\"A\": nulla}", "{\"A\": nulla}")]
    [InlineData("{\"A\": nullz}", "{\"A\": nullz}")]
    [InlineData("{\"A\": nullA}", "{\"A\": nullA}")]
    [InlineData("{\"A\": nullZ}", "{\"A\": nullZ}")]
    [InlineData("[\"A\": null]", "[\"A\": null]")]
    // Malformed around a left-out null (a colon with no name, no comma after it): left for the parser to place, never
    // a line blaming the member before it.
    [InlineData("{\"A\": 1,:null \"x\\\"\"}", "{\"A\": 1 \"x\\\"\"}")]
    public void The_text_both_readers_parse(string text, string prepared)
    {
        Assert.Equal(prepared, SettingsJson.Prepare(text, "settings.json", out string problem));
        Assert.Null(problem);
    }

    [Fact]
    public void A_value_ending_with_a_quote_is_refused_by_name_without_its_text()
    {
        Assert.Null(SettingsJson.Prepare("{\"WifiPassword\": \"secret\\\"\"}", "I:\\settings.json", out string problem));
        Assert.Equal("I:\\settings.json: WifiPassword ends with a double quote (\"), which the board reads wrongly; leave that character out", problem);
        Assert.DoesNotContain("secret", problem);
    }

    [Fact]
    public void A_value_starting_with_an_escaped_backslash_and_ending_with_a_quote_is_refused()
    {
        // The board drops the first and last characters of any value ending with a quote unless it starts with one.
        Assert.Null(SettingsJson.Prepare("{\"BrokerPassword\": \"\\\\a\\\"\"}", "settings.json", out string problem));
        Assert.StartsWith("settings.json: BrokerPassword ends with a double quote", problem);
    }
}
