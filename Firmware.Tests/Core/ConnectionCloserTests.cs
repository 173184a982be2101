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

    // The closer alone, its time driven by the test: quiet after 200 ms without an arrival, at most 1000 ms.
    private static (ConnectionCloser Closer, FakeMqtt Mqtt, RecordingMonitor Monitor) Alone()
    {
        var mqtt = new FakeMqtt { IsConnected = true };
        var monitor = new RecordingMonitor();
        return (new ConnectionCloser(mqtt, monitor, 200, 1000), mqtt, monitor);
    }

    [Fact]
    public void At_exactly_the_limit_it_closes_even_while_messages_still_arrive()
    {
        var (closer, mqtt, monitor) = Alone();
        closer.CloseWhenQuiet(0);
        for (long t = 100; t < 1000; t += 100)
        {
            closer.CountArrival();
            Assert.False(closer.Poll(t));
        }

        closer.CountArrival();
        Assert.True(closer.Poll(1000));
        Assert.Equal(1, mqtt.Closes);
        Assert.Equal(1, monitor.Count("MQTT: closed while messages were still arriving (1 time(s) so far)"));
    }

    [Fact]
    public void A_second_request_while_a_close_is_pending_keeps_the_first_limit()
    {
        var (closer, mqtt, _) = Alone();
        closer.CloseWhenQuiet(0);
        for (long t = 100; t < 1000; t += 100)
        {
            closer.CountArrival();
            if (t == 500)
            {
                closer.CloseWhenQuiet(t);
            }

            Assert.False(closer.Poll(t));
        }

        closer.CountArrival();
        Assert.True(closer.Poll(1000));
        Assert.Equal(1, mqtt.Closes);
    }

    [Fact]
    public void The_loop_may_sleep_until_the_earlier_of_the_quiet_time_and_the_limit()
    {
        var (closer, _, _) = Alone();
        closer.CloseWhenQuiet(0);
        Assert.Equal(200, closer.MsUntilDue(0)); // quiet comes first

        closer.CountArrival();
        Assert.False(closer.Poll(900));
        Assert.Equal(100, closer.MsUntilDue(900)); // quiet would be at 1100: the limit comes first
    }
}
