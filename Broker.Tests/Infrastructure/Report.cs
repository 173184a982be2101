using Xunit.Sdk;

namespace Broker.Tests.Infrastructure;

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
            throw; // from Wait.Until or DeviceUnderTest: it already carries the transcript
        }
        catch (Exception e)
        {
            throw new XunitException(e.Message + "\n" + transcript(), e);
        }
    }
}
