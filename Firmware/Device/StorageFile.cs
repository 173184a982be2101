using System.IO;
using System.Text;

namespace IotyDevice.Firmware
{
    /// <summary>Reads a text file from the device's storage (I:\ is the internal flash on ESP32 images).</summary>
    internal static class StorageFile
    {
        /// <summary>The file's size in bytes, without reading it. Throws IOException when it is missing.</summary>
        public static long Length(string path)
        {
            using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                return stream.Length;
            }
        }

        /// <summary>The file's text (UTF-8). Throws IOException when it is missing or unreadable.</summary>
        /// <remarks>FileStream rather than File.ReadAllText, which older System.IO.FileSystem packages lack.</remarks>
        public static string ReadText(string path)
        {
            using (FileStream stream = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                byte[] bytes = new byte[(int)stream.Length];
                int read = 0;
                while (read < bytes.Length)
                {
                    int n = stream.Read(bytes, read, bytes.Length - read);
                    if (n <= 0)
                    {
                        break;
                    }

                    read += n;
                }

                // Encoding.UTF8 has no one-argument GetString on nanoFramework.
                return Encoding.UTF8.GetString(bytes, 0, read);
            }
        }
    }
}
