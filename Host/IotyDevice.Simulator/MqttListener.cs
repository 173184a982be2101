using System.IO.Pipelines;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Connections;
using MQTTnet.AspNetCore;

namespace IotyDevice.Simulator
{
    /// <summary>One way into the embedded broker (the TLS port, or WebSockets at /mqtt), for ASP.NET Core's
    /// connections: each connection's input passes <see cref="PacketSizeCap"/> before MQTTnet's handler reads it.</summary>
    internal sealed class MqttListener : ConnectionHandler
    {
        /// <summary>What joins the MqttServer as a listener.</summary>
        public MqttConnectionHandler Handler { get; } = new MqttConnectionHandler();

        public override Task OnConnectedAsync(ConnectionContext connection)
        {
            connection.Transport = new Capped(new PacketSizeCap(connection.Transport.Input), connection.Transport.Output);
            return Handler.OnConnectedAsync(connection);
        }

        private sealed class Capped : IDuplexPipe
        {
            public Capped(PipeReader input, PipeWriter output)
            {
                Input = input;
                Output = output;
            }

            public PipeReader Input { get; private set; }

            public PipeWriter Output { get; private set; }
        }
    }
}
