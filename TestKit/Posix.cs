using System.Runtime.InteropServices;

// The kit drives /usr/sbin/mosquitto and POSIX calls: Linux only (and so are the projects that use it).
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]

namespace IotyDevice.TestKit;

/// <summary>The few POSIX calls the broker fixture needs: signals by PID (a graceful SIGTERM; .NET's
/// Process.Kill is SIGKILL only) and file ownership for the files mosquitto reads after dropping root.</summary>
public static class Posix
{
    public const int SIGTERM = 15;

    [DllImport("libc", SetLastError = true, EntryPoint = "kill")]
    private static extern int SysKill(int pid, int signal);

    [DllImport("libc", SetLastError = true, EntryPoint = "chown")]
    private static extern int SysChown(string path, int owner, int group);

    [DllImport("libc", EntryPoint = "geteuid")]
    private static extern uint SysGetEuid();

    public static bool IsRoot => SysGetEuid() == 0;

    public static void Signal(int pid, int signal)
    {
        if (SysKill(pid, signal) != 0)
            throw new InvalidOperationException("kill(" + pid + ", " + signal + ") failed: errno " + Marshal.GetLastWin32Error());
    }

    public static void MakeTraversable(string dir)
    {
        File.SetUnixFileMode(dir, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute
            | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
    }

    /// <summary>root:mosquitto 0640: mosquitto refuses (or warns about) world-readable keys and password files,
    /// and after dropping to user mosquitto it still needs to read them through the group.</summary>
    public static void RestrictToMosquittoGroup(string file)
    {
        File.SetUnixFileMode(file, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead);
        if (IsRoot) Chown(file, 0, LookupId("/etc/group", "mosquitto"));
    }

    /// <summary>A directory mosquitto writes to (persistence) once it runs as user mosquitto.</summary>
    public static void GiveToMosquitto(string dir)
    {
        MakeTraversable(dir);
        if (IsRoot) Chown(dir, LookupId("/etc/passwd", "mosquitto"), LookupId("/etc/group", "mosquitto"));
    }

    private static void Chown(string path, int uid, int gid)
    {
        if (SysChown(path, uid, gid) != 0)
            throw new InvalidOperationException("chown " + path + " failed: errno " + Marshal.GetLastWin32Error());
    }

    /// <summary>The id in the third field of /etc/passwd or /etc/group for <paramref name="name"/>.</summary>
    private static int LookupId(string database, string name)
    {
        foreach (string line in File.ReadLines(database))
        {
            string[] fields = line.Split(':');
            if (fields.Length > 2 && fields[0] == name) return int.Parse(fields[2]);
        }
        throw new InvalidOperationException("no '" + name + "' in " + database
            + ": the mosquitto package creates that user and group (apt-get install -y mosquitto mosquitto-clients)");
    }
}
