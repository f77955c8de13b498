namespace CommandCenter.VideoRelay.Tests.Infrastructure;

/// <summary>Reads /proc to find live processes by their command line.</summary>
public static class ProcessTable
{
    public sealed record Entry(int Pid, int ParentPid, string CommandLine);

    /// <summary>Live (not zombie) ffmpeg processes whose command line contains <paramref name="fragment"/>.</summary>
    public static IReadOnlyList<Entry> Ffmpegs(string fragment) =>
        [.. All().Where(p => IsFfmpeg(p.CommandLine) && p.CommandLine.Contains(fragment, StringComparison.Ordinal))];

    public static bool IsAlive(int pid) => State(pid) is { } state && state != 'Z' && state != 'X';

    public static IEnumerable<Entry> All()
    {
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            Entry? entry = null;
            try
            {
                var commandLine = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ').Trim();
                var stat = File.ReadAllText(Path.Combine(dir, "stat"));
                var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
                if (fields[0] is not ("Z" or "X")) entry = new Entry(pid, int.Parse(fields[1]), commandLine);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Exited while being read.
            }
            if (entry is not null) yield return entry;
        }
    }

    /// <summary>CPU time (user + system) a process has used so far, from /proc/pid/stat.</summary>
    public static TimeSpan? CpuTime(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            // utime and stime are fields 14 and 15 of stat, i.e. 11 and 12 after the state field.
            var ticks = long.Parse(fields[11]) + long.Parse(fields[12]);
            return TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>Linux reports CPU time in USER_HZ, which is 100 on every mainstream architecture.</summary>
    private const int ClockTicksPerSecond = 100;

    private static char? State(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static bool IsFfmpeg(string commandLine)
    {
        var program = commandLine.Split(' ', 2)[0];
        return Path.GetFileName(program) == "ffmpeg";
    }
}
