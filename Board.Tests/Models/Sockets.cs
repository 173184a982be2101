// Model of nanoframework/System.Net v1.11.54 : nanoFramework.System.Net/SocketException.cs (lines 15-40) and
// Sockets/SocketErrors.cs: ErrorCode is the number the firmware threw with, WinSock-numbered (on .NET, Linux turns
// those numbers into errno values, so the base library's type cannot stand in for it).
namespace System.Net.Sockets
{
    public class SocketException : Exception
    {
        private readonly int _errorCode;

        public SocketException(SocketError errorCode)
        {
            _errorCode = (int)errorCode;
        }

        public int ErrorCode => _errorCode;
    }

    /// <summary>SocketErrors.cs: the values the adapter names (WinSock numbering).</summary>
    public enum SocketError
    {
        NetworkDown = 10000 + 50,
        NetworkUnreachable = 10000 + 51,
        TimedOut = 10000 + 60,
        ConnectionRefused = 10000 + 61,
        HostUnreachable = 10000 + 65,
        HostNotFound = 10000 + 1001,
        TryAgain = 10000 + 1002,
    }
}
