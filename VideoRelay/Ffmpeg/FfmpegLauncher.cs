using System.Numerics;
using FFMpegCore;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.VideoRelay.Ffmpeg;

/// <summary>
/// Starts every ffmpeg of the relay through FFMpegCore so that none can outlive the relay:
/// FFMpegCore runs a small launcher script instead of ffmpeg itself; the script marks the process as the
/// relay's (for <see cref="OrphanSweeper"/>) and execs ffmpeg under <c>setpriv --pdeathsig KILL</c>, and the
/// fork happens on the <see cref="SpawnThread"/>, so the kernel kills ffmpeg when the relay process dies.
/// </summary>
internal sealed class FfmpegLauncher(RelayPaths paths, IOptions<VideoRelayOptions> options, ILogger<FfmpegLauncher> logger)
{
    private const string LauncherName = "ffmpeg";
    private readonly Lock _gate = new();
    private FFOptions? _ffOptions;

    /// <summary>Writes the launcher, kills leftovers of an earlier run and clears old output. Runs once.</summary>
    public FFOptions Prepare()
    {
        lock (_gate)
        {
            if (_ffOptions is not null) return _ffOptions;
            var ffmpeg = ResolveFfmpeg();
            Directory.CreateDirectory(paths.WorkDirectory);
            var killed = OrphanSweeper.KillOwnedProcesses(paths.WorkDirectory);
            if (killed > 0) logger.LogWarning("Killed {Count} ffmpeg process(es) left over by an earlier run", killed);
            if (Directory.Exists(paths.StreamsDirectory)) Directory.Delete(paths.StreamsDirectory, recursive: true);
            Directory.CreateDirectory(paths.StreamsDirectory);
            var binaryFolder = OperatingSystem.IsWindows() ? Path.GetDirectoryName(ffmpeg)! : WriteLauncherScript(ffmpeg);
            _ffOptions = new FFOptions { BinaryFolder = binaryFolder, WorkingDirectory = paths.WorkDirectory };
            return _ffOptions;
        }
    }

    /// <summary>
    /// Starts ffmpeg; cancelling <paramref name="ct"/> asks it to quit and kills it after the grace period.
    /// FFMpegCore's own token overload asks ffmpeg to quit from inside the token's callback, i.e. on whatever thread
    /// cancels (often a timer, where an exception ends the process): writing <c>q</c> to an ffmpeg that has just
    /// exited throws there (broken pipe). So the quit runs on the thread pool, and its failures are only counted.
    /// </summary>
    public async Task<FFMpegResult> RunAsync(FFMpegArgumentProcessor processor, CancellationToken ct)
    {
        var ffOptions = Prepare();
        ct.ThrowIfCancellationRequested();
        processor.CancellableThrough(out var quit, options.Value.StopGracePeriod);
        // FFMpegCore forks synchronously inside ProcessAsynchronously, before its first await, so the fork
        // happens on the spawn thread, and ffmpeg is listening for the quit request once this returns.
        var running = await SpawnThread.InvokeAsync(() => processor.ProcessAsynchronously(throwOnError: false, ffOptions));
        await using (ct.Register(() => _ = Task.Run(() => Quit(quit))))
            return await running;
    }

    /// <summary>Failed attempts to stop an ffmpeg (it was gone already, mostly); counted so the log says how many.</summary>
    private long _failedQuits;

    private void Quit(Action quit)
    {
        try
        {
            quit();
        }
        catch (Exception e)
        {
            // Nothing to do: an ffmpeg that cannot be told to quit has exited, and its run ends by itself.
            var count = Interlocked.Increment(ref _failedQuits);
            if (BitOperations.IsPow2(count))
                logger.LogDebug("Stopping ffmpeg failed ({Count} so far): {Error}", count, e.Message);
        }
    }

    private string ResolveFfmpeg() => Find(options.Value)
        ?? throw new InvalidOperationException($"ffmpeg was not found; install it or set {VideoRelayOptions.SectionName}:{nameof(VideoRelayOptions.FfmpegFolder)}.");

    /// <summary>The ffmpeg the relay runs: in <see cref="VideoRelayOptions.FfmpegFolder"/>, else on PATH; null when there is none.</summary>
    public static string? Find(VideoRelayOptions settings)
    {
        var folder = settings.FfmpegFolder;
        var name = OperatingSystem.IsWindows() ? "ffmpeg.exe" : "ffmpeg";
        var path = string.IsNullOrWhiteSpace(folder) ? ExecutableSearch.FindOnPath(name) : Path.Combine(Path.GetFullPath(folder), name);
        return path is not null && File.Exists(path) ? path : null;
    }

    private string WriteLauncherScript(string ffmpeg)
    {
        var setpriv = OperatingSystem.IsLinux() ? ExecutableSearch.FindOnPath("setpriv") : null;
        if (setpriv is null)
            logger.LogWarning("setpriv not found: ffmpeg processes will not die with the relay if it is killed; they are swept at the next start");
        var exec = setpriv is null
            ? $"exec {ShellQuote(ffmpeg)} \"$@\""
            : $"exec {ShellQuote(setpriv)} --pdeathsig KILL -- {ShellQuote(ffmpeg)} \"$@\"";
        var script = $"""
            #!/bin/sh
            # Written by the video relay at start-up; see FfmpegLauncher.
            {OrphanSweeper.OwnerVariable}={ShellQuote(paths.WorkDirectory)}
            export {OrphanSweeper.OwnerVariable}
            {exec}

            """;
        Directory.CreateDirectory(paths.LauncherDirectory);
        var target = Path.Combine(paths.LauncherDirectory, LauncherName);
        var temporary = target + ".tmp";
        File.WriteAllText(temporary, script);
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(temporary, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.Move(temporary, target, overwrite: true);
        return paths.LauncherDirectory;
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", @"'\''", StringComparison.Ordinal) + "'";
}
