using System;
using System.Buffers;
using System.IO.Pipelines;
using System.Threading;
using System.Threading.Tasks;
using IotyDevice.Core;
using MQTTnet.Exceptions;

namespace IotyDevice.Simulator
{
    /// <summary>The embedded broker's packet size limit, on the bytes of one connection (TLS or WebSocket) before
    /// MQTTnet reads them: MQTTnet's broker has no limit and buffers a packet whole, so a client without a password
    /// could make the simulator take hundreds of MB. A packet whose fixed header declares more than the limit ends the
    /// connection as soon as that header is in: a CONNECT may hold <see cref="MaxConnectBytes"/> (a client ID, a user
    /// name, a password and a small will), any other packet what the board takes, <see cref="MqttLimits.MaxPacketBytes"/>.
    /// MQTTnet consumes whole packets only, so the unread data always starts with a fixed header.</summary>
    internal sealed class PacketSizeCap : PipeReader
    {
        public const int MaxConnectBytes = 1024;
        private const int ConnectType = 1;

        private readonly PipeReader _inner;

        public PacketSizeCap(PipeReader inner)
        {
            _inner = inner;
        }

        public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
        {
            ReadResult result = await _inner.ReadAsync(cancellationToken).ConfigureAwait(false);
            Check(result.Buffer);
            return result;
        }

        public override bool TryRead(out ReadResult result)
        {
            if (!_inner.TryRead(out result)) return false;
            Check(result.Buffer);
            return true;
        }

        public override void AdvanceTo(SequencePosition consumed) { _inner.AdvanceTo(consumed); }

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined) { _inner.AdvanceTo(consumed, examined); }

        public override void CancelPendingRead() { _inner.CancelPendingRead(); }

        public override void Complete(Exception exception = null) { _inner.Complete(exception); }

        /// <summary>Throws when the packet at the start of <paramref name="unread"/> declares more bytes than allowed.</summary>
        public static void Check(ReadOnlySequence<byte> unread)
        {
            var reader = new SequenceReader<byte>(unread);
            byte first;
            if (!reader.TryRead(out first)) return;
            long remaining = 0;
            for (int i = 0; i < 4; i++)
            {
                byte b;
                if (!reader.TryRead(out b)) return; // the length is not all here yet
                remaining |= (long)(b & 0x7F) << (7 * i);
                if ((b & 0x80) != 0) continue;
                long total = 1 + (i + 1) + remaining;
                int limit = first >> 4 == ConnectType ? MaxConnectBytes : MqttLimits.MaxPacketBytes;
                if (total > limit)
                    throw new MqttProtocolViolationException("a packet of " + total + " bytes; this broker takes " + limit + " at most");
                return;
            }
            // A fifth length byte is malformed: MQTTnet refuses it itself.
        }
    }
}
