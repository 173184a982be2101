using System;

namespace IotyDevice.Firmware
{
    /// <summary>How the device adapters name an exception on the monitor.</summary>
    internal static class ExceptionText
    {
        /// <summary>The message, or the type name when there is none: nanoFramework exceptions often carry no
        /// message, and the type still says something.</summary>
        public static string Describe(Exception e)
        {
            return e.Message != null && e.Message.Length > 0 ? e.Message : e.GetType().FullName;
        }
    }
}
