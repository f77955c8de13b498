using System.Diagnostics;
using System.Text;

namespace CommandCenter.VideoRelay.Ffmpeg;

/// <summary>
/// Finds ffmpeg processes a previous run of this relay left behind (marked by the launcher with an
/// environment variable naming the work directory) and kills them. The parent-death signal normally
/// prevents leftovers; this covers the moment between fork and that signal being armed, and systems
/// without <c>setpriv</c>.
/// </summary>
internal static class OrphanSweeper
{
    public const string OwnerVariable = "VIDEO_RELAY_OWNER";

    /// <summary>Ids of processes, other than this one, whose environment marks them as owned by <paramref name="owner"/>.</summary>
    public static IReadOnlyList<int> FindOwnedProcesses(string owner)
    {
        if (!OperatingSystem.IsLinux()) return [];
        var marker = $"{OwnerVariable}={owner}";
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid) || pid == Environment.ProcessId) continue;
            try
            {
                var environment = Encoding.UTF8.GetString(File.ReadAllBytes(Path.Combine(dir, "environ")));
                if (environment.Split('\0').Contains(marker)) found.Add(pid);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Gone, or not ours to read.
            }
        }
        return found;
    }

    /// <summary>Kills the processes owned by <paramref name="owner"/>; returns how many there were.</summary>
    public static int KillOwnedProcesses(string owner)
    {
        var pids = FindOwnedProcesses(owner);
        foreach (var pid in pids)
        {
            try
            {
                using var process = Process.GetProcessById(pid);
                process.Kill();
            }
            catch (Exception e) when (e is ArgumentException or InvalidOperationException or System.ComponentModel.Win32Exception)
            {
                // Exited meanwhile.
            }
        }
        return pids.Count;
    }
}
