using System.Collections.Concurrent;
using System.Diagnostics;

namespace CommandCenter.Simulators.Cameras;

/// <summary>
/// Starts child processes that the kernel kills when this process dies, even by SIGKILL.
/// On Linux the child is started through <c>setpriv --pdeathsig KILL</c>. The death signal fires when
/// the thread that forked the child exits, not only when the process does, so every fork happens on one
/// thread that lives as long as the process; thread-pool threads come and go.
/// </summary>
internal static class OrphanSafeProcess
{
    private static readonly BlockingCollection<Action> Work = [];
    private static readonly Lazy<string?> SetprivPath = new(() => FindOnPath("setpriv"));

    static OrphanSafeProcess()
    {
        var thread = new Thread(() =>
        {
            foreach (var action in Work.GetConsumingEnumerable()) action();
        })
        { IsBackground = true, Name = "child-process-spawner" };
        thread.Start();
    }

    public static Process Start(string fileName, IEnumerable<string> arguments)
    {
        var startInfo = new ProcessStartInfo
        {
            UseShellExecute = false,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        if (OperatingSystem.IsLinux() && SetprivPath.Value is { } setpriv)
        {
            startInfo.FileName = setpriv;
            foreach (var a in new[] { "--pdeathsig", "KILL", "--", fileName }) startInfo.ArgumentList.Add(a);
        }
        else
        {
            startInfo.FileName = fileName;
        }
        foreach (var argument in arguments) startInfo.ArgumentList.Add(argument);

        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Work.Add(() =>
        {
            try { started.SetResult(Process.Start(startInfo)!); }
            catch (Exception e) { started.SetException(e); }
        });
        return started.Task.GetAwaiter().GetResult();
    }

    public static string? FindOnPath(string name)
    {
        if (Path.IsPathRooted(name)) return File.Exists(name) ? name : null;
        var path = Environment.GetEnvironmentVariable("PATH") ?? "";
        return path.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(dir => Path.Combine(dir, name))
            .FirstOrDefault(File.Exists);
    }
}
