using System;

namespace IotyDevice.Core
{
    /// <summary>Tuning that is not the user's business (the user's settings are <see cref="DeviceSettings"/>).
    /// Tests and the simulator shorten the times.</summary>
    public class DeviceOptions
    {
        /// <summary>Received messages waiting for the main loop: at most this many, and <see cref="InboxMaxBytes"/>.</summary>
        public int InboxCapacity = 16;

        /// <summary>Topic and payload bytes the inbox keeps at most (an empty inbox still takes one message up to
        /// <see cref="MqttLimits.MaxPacketBytes"/>): what the board keeps while messages arrive faster than they print.
        /// BENCHMARKS.md section 9 has the memory budget.</summary>
        public int InboxMaxBytes = 4096;

        /// <summary>Closing a connection on purpose waits until no message has arrived for this long: M2Mqtt has
        /// already acknowledged what it holds, and its Close() would throw it away.</summary>
        public int CloseQuietMs = 250;

        /// <summary>The longest such a close waits for messages to stop arriving.</summary>
        public int CloseLimitMs = 3000;

        /// <summary>How long a BOOT level must hold to count; contact bounce lasts a few ms.</summary>
        public int DebounceMs = 30;

        /// <summary>Publishes the outbox keeps (waiting, or sent and not yet confirmed by the broker).</summary>
        public int OutboxCapacity = 8;

        public int BackoffBaseMs = 1000;
        public int BackoffCapMs = 60000;

        /// <summary>A connection that stayed up this long counts as healthy: losing it starts the backoff
        /// afresh. A connection that drops sooner keeps backing off (e.g. two boards sharing one client ID).</summary>
        public int StableConnectionMs = 60000;

        /// <summary>Payload characters shown on a message line; longer payloads are cut and their size shown.</summary>
        public int MaxPayloadChars = 200;

        /// <summary>The longest the loop sleeps with nothing to do; it wakes earlier on any event.</summary>
        public int IdleWaitMs = 500;

        /// <summary>How often invalid settings are read again, so fixing the file is picked up without a reset.</summary>
        public int SettingsRetryMs = 10000;

        /// <summary>How often the clock is checked while waiting for network time.</summary>
        public int ClockCheckMs = 500;

        /// <summary>How often at most a growing drop count is reported during a flood.</summary>
        public int DropReportIntervalMs = 1000;

        /// <summary>Monitor lines kept for MQTT (setting MonitorTopic) while offline or waiting for their turn: at most
        /// this many, and <see cref="MonitorMirrorChars"/>.</summary>
        public int MonitorMirrorLines = 32;

        /// <summary>Characters the mirror keeps in all (a line is a string of its own length, on the board about a byte a
        /// character), so a ring of long message lines stays within the memory budget.</summary>
        public int MonitorMirrorChars = 4096;

        /// <summary>After a burst of the whole ring, the mirror publishes one line per this long.</summary>
        public int MonitorMirrorIntervalMs = 100;

        /// <summary>A lesson method (Firmware/Lesson.cs) running this long holds up the loop noticeably: it is named.</summary>
        public int SlowLessonMs = 1000;

        /// <summary>The runtime the board runs (image version and target), printed once at start as
        /// "Runtime: ..." so a question about a board starts with it; null prints nothing (the simulator).</summary>
        public string Runtime;

        /// <summary>The jitter source; null seeds one from the clock.</summary>
        public Random Random;
    }
}
