namespace IotyDevice.Core
{
    /// <summary>Fills "{clientId}" into a topic (mscorlib on the device has no String.Replace).</summary>
    public static class TopicTemplate
    {
        public static string Expand(string template, string clientId)
        {
            string result = template;
            int at = result.IndexOf(DeviceSettings.ClientIdPlaceholder);
            while (at >= 0)
            {
                result = result.Substring(0, at) + clientId + result.Substring(at + DeviceSettings.ClientIdPlaceholder.Length);
                at = result.IndexOf(DeviceSettings.ClientIdPlaceholder, at + clientId.Length);
            }

            return result;
        }
    }
}
