using System.Text;
using IotyDevice.Core;
using Firmware.Tests.Fakes;

namespace Firmware.Tests.Core;

/// <summary>The loop's own decisions: how long a pass may sleep, what wakes it, what Run does with a fault and
/// with Stop. Time is the fake clock; where Run needs its own thread, the test waits on its state, never sleeps.</summary>
public class DeviceLoopTests
{
    private const string ChipIdOfFakeMac = "240ac412abfe";

    private static Device RunnableDevice(DeviceRig rig) => new(new DevicePorts
    {
        Network = rig.Network, Mqtt = rig.Mqtt, Button = rig.Button, Clock = rig.Clock, Monitor = rig.Monitor, Settings = rig.Settings,
    }, rig.Options, rig.Wakeup);

    private static Thread Running(Device device)
    {
        var thread = new Thread(device.Run) { IsBackground = true };
        thread.Start();
        Assert.True(SpinWait.SpinUntil(() => device.State == ConnectionState.Online, 5_000), "never came online");
        return thread;
    }

    private static void Flood(DeviceRig rig, string text)
    {
        for (int i = 0; i < 3; i++) rig.Receive("topic1", text + i); // one more than the inbox of 2 holds
    }

    private static bool Blocked(Thread thread) =>
        SpinWait.SpinUntil(() => (thread.ThreadState & ThreadState.WaitSleepJoin) != 0, 5_000);

    [Fact]
    public void A_device_not_yet_started_reads_not_started()
    {
        var rig = new DeviceRig();
        Assert.Equal(ConnectionState.NotStarted, RunnableDevice(rig).State);
    }

    [Fact]
    public void The_chip_id_is_printed_at_start_even_when_the_settings_are_invalid()
    {
        var rig = new DeviceRig();
        rig.Settings.Problem = "settings.json: not JSON";
        rig.Start();
        Assert.Equal(ConnectionState.SettingsInvalid, rig.Device.State);
        Assert.Contains("Chip ID: " + ChipIdOfFakeMac, rig.Monitor.Lines);
    }

    [Fact]
    public void Fixed_settings_are_read_again_exactly_when_the_retry_is_due_and_the_pass_before_sleeps_only_until_then()
    {
        var rig = new DeviceRig();
        rig.Settings.Problem = "settings.json: not JSON";
        rig.Start();
        rig.Settings.Problem = null;
        // 30 ms, not 100: the status light's fast blink (100 ms) also wakes the loop and would hide a late re-read.
        rig.Clock.Advance(rig.Options.SettingsRetryMs - 30);
        Assert.Equal(30, rig.Device.Step());
        Assert.Equal(ConnectionState.SettingsInvalid, rig.Device.State);

        rig.Clock.Advance(30);
        rig.Device.Step();
        Assert.NotEqual(ConnectionState.SettingsInvalid, rig.Device.State);
    }

    [Fact]
    public void A_button_that_moved_shortens_an_idle_sleep_to_the_debounce_time()
    {
        var rig = new DeviceRig().StartOnline();
        Assert.Equal(rig.Options.IdleWaitMs, rig.Device.Step());
        rig.Button.IsDown = true;
        Assert.InRange(rig.Device.Step(), 1, rig.Options.DebounceMs);
    }

    [Fact]
    public void The_inbox_count_and_bytes_are_what_waits_to_be_printed()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Receive("topic1", "a");
        rig.Receive("topic1", "bc");
        Assert.Equal(2, rig.Device.InboxCount);
        Assert.Equal(("topic1" + "a" + "topic1" + "bc").Length, rig.Device.InboxBytes); // topics and payloads, in UTF-8
        rig.Device.Step();
        Assert.Equal(0, rig.Device.InboxCount);
        Assert.Equal(0, rig.Device.InboxBytes);
    }

    [Fact]
    public void The_broker_is_asked_to_keep_the_session_for_a_week()
    {
        var rig = new DeviceRig().StartOnline();
        Assert.Equal(7 * 24 * 3600, rig.Mqtt.Connects[0].SessionExpirySeconds);
    }

    [Fact]
    public void A_qos0_flood_reports_none_of_its_drops_as_qos1()
    {
        var rig = new DeviceRig();
        rig.Options.InboxCapacity = 2;
        rig.StartOnline();
        Flood(rig, "m");
        rig.Device.Step();
        Assert.Contains(rig.Monitor.Lines, l => l.StartsWith("Inbox: 1 messages dropped so far (0 of them QoS 1;"));
    }

    [Fact]
    public void The_first_drop_is_reported_at_once_whatever_the_tick_counter_reads()
    {
        var rig = new DeviceRig();
        rig.Clock.NowMs = -100_000; // a tick counter that wrapped
        rig.Options.InboxCapacity = 2;
        rig.StartOnline();
        Flood(rig, "m");
        rig.Device.Step();
        Assert.Equal(1, rig.Monitor.Count("Inbox:"));
    }

    [Fact]
    public void The_next_drop_report_comes_exactly_one_interval_after_the_last()
    {
        var rig = new DeviceRig();
        rig.Options.InboxCapacity = 2;
        rig.StartOnline();
        Flood(rig, "m");
        rig.Device.Step();
        Flood(rig, "n");
        rig.Clock.Advance(rig.Options.DropReportIntervalMs - 1);
        rig.Device.Step();
        Assert.Equal(1, rig.Monitor.Count("Inbox:"));
        rig.Clock.Advance(1);
        rig.Device.Step();
        Assert.Equal(2, rig.Monitor.Count("Inbox:"));
    }

    [Fact]
    public void A_suback_and_a_puback_wake_the_loop_at_once()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Wakeup.Wait(0);
        rig.Mqtt.Listener.OnSubscribed(rig.Mqtt.Connection, 99, 1);
        Assert.True(rig.Wakeup.Wait(0));
        rig.Mqtt.Listener.OnPublished(rig.Mqtt.Connection, 99, true);
        Assert.True(rig.Wakeup.Wait(0));
    }

    [Fact]
    public void On_a_drop_the_unconfirmed_press_is_said_to_go_again_before_the_loss_is_reported()
    {
        var rig = new DeviceRig().StartOnline();
        rig.Mqtt.AutoAck = false;
        rig.Press();
        rig.Mqtt.RaiseConnectionClosed();
        rig.Device.Step();
        int again = rig.Monitor.Lines.FindIndex(l => l.EndsWith(" not confirmed before the connection dropped; sending it again"));
        int lost = rig.Monitor.Lines.IndexOf("MQTT: connection lost; reconnecting");
        Assert.True(again >= 0 && lost > again, rig.Monitor.Transcript);
    }

    [Fact]
    public void An_idle_run_sleeps_until_woken_and_stop_wakes_it_at_once()
    {
        var rig = new DeviceRig();
        rig.Options.IdleWaitMs = 600_000;
        var device = RunnableDevice(rig);
        var thread = Running(device);
        Assert.True(Blocked(thread), "an idle loop must wait, not spin");
        device.Stop();
        Assert.True(thread.Join(5_000), "Stop did not wake the sleeping loop");
    }

    [Fact]
    public void A_fault_in_a_pass_is_one_line_and_the_loop_carries_on()
    {
        var rig = new DeviceRig();
        bool thrown = false;
        rig.Monitor.OnLine = line =>
        {
            if (!thrown && line.StartsWith("MQTT: subscribed to "))
            {
                thrown = true;
                throw new InvalidOperationException("serial port gone");
            }
        };
        var device = RunnableDevice(rig);
        var thread = Running(device);
        Assert.True(SpinWait.SpinUntil(() => rig.Monitor.Lines.Contains("Error: serial port gone (the device carries on)"), 5_000));
        rig.Receive("topic1", "still here");
        Assert.True(SpinWait.SpinUntil(() => rig.Monitor.Lines.Contains("Received on topic1: still here"), 5_000));
        device.Stop();
        Assert.True(thread.Join(5_000));
    }

    [Fact]
    public void While_the_stop_waits_for_quiet_what_the_library_hands_over_is_still_printed()
    {
        var rig = new DeviceRig();
        rig.Options.CloseQuietMs = 60_000;
        rig.Options.CloseLimitMs = 120_000;
        var device = RunnableDevice(rig);
        var thread = Running(device);
        device.Stop();
        Assert.True(SpinWait.SpinUntil(() => rig.Mqtt.PublishedTexts(ChipIdOfFakeMac + "/status").Last() == "offline", 5_000));
        Assert.True(Blocked(thread), "the stop must wait for the library, not close at once");
        Assert.Equal(0, rig.Mqtt.Closes);

        rig.Mqtt.Listener.OnMessage("topic1", Encoding.UTF8.GetBytes("late"), 1);
        Assert.True(SpinWait.SpinUntil(() => rig.Monitor.Lines.Contains("Received on topic1: late"), 5_000));
        rig.Clock.Advance(200_000);
        rig.Wakeup.Set();
        Assert.True(thread.Join(5_000), "Run did not return after the close limit");
        Assert.Equal(1, rig.Mqtt.Closes);
    }
}
