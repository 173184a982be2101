using Xunit.Sdk;

namespace Broker.Tests.Infrastructure;

/// <summary>A failure that already carries its transcript (from Wait.Until).</summary>
public sealed class ScenarioFailure : XunitException
{
    public ScenarioFailure(string message) : base(message) { }
}

public static class Report
{
    /// <summary>Runs a test body; any failure is rethrown with the device monitor, transport trace and broker
    /// log appended, so a red test explains itself in the test output and CI log.</summary>
    public static void OnFailure(Func<string> transcript, Action body)
    {
        try
        {
            body();
        }
        catch (ScenarioFailure)
        {
            throw;
        }
        catch (Exception e)
        {
            throw new XunitException(e.Message + "\n" + transcript(), e);
        }
    }
}
