using System.Collections.Generic;
using IotyDevice.Core;

namespace IotyDevice
{
    /// <summary>
    /// A lesson that .NET on a PC would run but the board cannot: nanoFramework 1.x has no generics, so its mscorlib
    /// has no List&lt;int&gt;. `dotnet run --project Host/IotyDevice.Simulator` compiles the lesson for the board
    /// first and stops at the compiler's line (docs/lesson.md, "What the board cannot run"). On the board, keep
    /// such values in an ArrayList, or in an int[] that you grow yourself.
    /// </summary>
    public class Lesson : ILesson
    {
        private readonly List<int> _sizes = new List<int>();

        public string[] Topics()
        {
            return new string[] { "topic1" };
        }

        public void OnMessage(MqttMessage message, Board board)
        {
            _sizes.Add(message.Text.Length);
            board.Print(message);
        }

        public void OnBootPress(Board board)
        {
            board.Publish("topic2", _sizes.Count.ToString() + " messages so far");
        }
    }
}
