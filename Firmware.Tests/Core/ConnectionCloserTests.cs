using Firmware.Tests.Fakes;
using IotyDevice.Core;
using Xunit;

namespace Firmware.Tests.Core;

/// <summary>A close on purpose keeps what the board has acknowledged: M2Mqtt's Close() clears the messages it has
/// already PUBACKed but not yet handed over, so the core closes only once they have stopped arriving.</summary>
public sealed class ConnectionCloserTests
{
    private static void Deliver(DeviceRig rig, string text) =>
        rig.Mqtt.Listener.OnMessage("topic1", System.Text.Encoding.UTF8.GetBytes(text), 1);

    [Fact]
    public void A_WiFi_loss_noticed_first_closes_only_once_the_library_has_handed_over_what_it_acknowledged()
    {
        var rig = new DeviceRig().StartOnline();
        int closesBefore = rig.Mqtt.Closes;
        rig.Network.IsUp = false;
        rig.Device.Step();
        Assert.Equal(ConnectionState.JoiningWifi, rig.Device.State);

        // The library's dispatch thread keeps handing over what it had acknowledged before the WiFi went.
        for (int i = 1; i <= 20; i++)
        {
            Deliver(rig, "held " + i);
            rig.Hold(rig.Options.CloseQuietMs / 2);
            Assert.Equal(closesBefore, rig.Mqtt.Closes);
            Assert.Empty(rig.Network.Joins.Skip(1)); // nothing blocking before the close is done
        }

        Assert.True(rig.RunUntil(() => rig.Mqtt.Closes > closesBefore, rig.Options.CloseQuietMs + 10));
        Assert.Equal(Enumerable.Range(1, 20).Select(i => "Received on topic1: held " + i),
            rig.Monitor.Lines.Where(l => l.StartsWith("Received on topic1: ")));
        Assert.Equal(0, rig.Monitor.Count("MQTT: closed while messages were still arriving"));
        Assert.True(rig.RunUntil(() => rig.Device.State == ConnectionState.Online));
    }

    [Fact]
    public void A_close_cut_short_by_the_limit_while_messages_still_arrive_is_counted_and_said()
    {
        var rig = new DeviceRig().StartOnline();
        int closesBefore = rig.Mqtt.Closes;
        rig.Network.IsUp = false;
        rig.Device.Step();
        long started = rig.Clock.NowMs;
        int sent = 0;
        while (rig.Mqtt.Closes == closesBefore)
        {
            Assert.True(rig.Clock.NowMs - started <= rig.Options.CloseLimitMs + 10, "the close must be bounded in time");
            Deliver(rig, "flood " + ++sent);
            rig.Hold(rig.Options.CloseQuietMs / 5);
        }

        Assert.Equal(1, rig.Monitor.Count("MQTT: closed while messages were still arriving (1 time(s) so far); the board had already acknowledged them"));
        Assert.Equal(sent, rig.Monitor.Lines.Count(l => l.StartsWith("Received on topic1: flood ")));
    }

    [Fact]
    public void A_connection_the_library_has_closed_itself_is_closed_at_once()
    {
        var rig = new DeviceRig().StartOnline();
        int closesBefore = rig.Mqtt.Closes;
        rig.Mqtt.RaiseConnectionClosed(); // M2Mqtt raises this only after it has handed over everything it held
        rig.Device.Step();
        Assert.Equal(closesBefore + 1, rig.Mqtt.Closes);
    }
}
