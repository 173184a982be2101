using System.Reflection;

[assembly: AssemblyTitle("IotyDevice")]
[assembly: AssemblyDescription("ESP32 firmware: WiFi, MQTT over TLS, BOOT button publishes")]
[assembly: AssemblyProduct("IotyDevice")]
[assembly: AssemblyVersion("1.0.0.0")]
[assembly: AssemblyFileVersion("1.0.0.0")]
