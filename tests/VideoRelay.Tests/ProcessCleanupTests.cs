using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using FFMpegCore;
using CommandCenter.VideoRelay.Ffmpeg;
using CommandCenter.VideoRelay.Tests.Infrastructure;

namespace CommandCenter.VideoRelay.Tests;

public sealed class ProcessCleanupTests(CameraServerFixture cameras) : IClassFixture<CameraServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Stopping_the_host_leaves_no_ffmpeg_running()
    {
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(1, 2));
        await host.Relay.EnsureStreamingAsync(cameras.Camera(1).Id);
        await host.Relay.EnsureStreamingAsync(cameras.Camera(2).Id);
        await host.Health.WaitForAsync(cameras.Camera(1).Id, online: true, Deadline);
        await host.Health.WaitForAsync(cameras.Camera(2).Id, online: true, Deadline);
        Assert.Equal(2, ProcessTable.Ffmpegs(host.RelayDirectory).Count);

        await host.StopAsync();

        Assert.Empty(ProcessTable.Ffmpegs(host.RelayDirectory));
        Assert.Empty(OrphanSweeper.FindOwnedProcesses(host.RelayDirectory));
    }

    [Fact]
    public async Task Killing_the_host_with_sigkill_takes_its_ffmpeg_along()
    {
        var camera = cameras.Camera(3);
        var workDirectory = Path.Combine(Path.GetTempPath(), "video-relay-tests", Guid.NewGuid().ToString("N"));
        using var child = KilledHost.Start(workDirectory, camera.Id, cameras.Server.UrlFor(camera.Id));
        try
        {
            await KilledHost.WaitUntilOnlineAsync(child, Deadline);
            var ffmpeg = Assert.Single(ProcessTable.Ffmpegs(workDirectory));

            child.Kill(); // SIGKILL: no shutdown code runs in the host.
            await child.WaitForExitAsync();

            await Eventually.TrueAsync(() => !ProcessTable.IsAlive(ffmpeg.Pid), TimeSpan.FromSeconds(5), "the relay's ffmpeg to die with it");
            Assert.Empty(ProcessTable.Ffmpegs(workDirectory));
        }
        finally
        {
            if (!child.HasExited) child.Kill();
            Directory.Delete(workDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task Start_up_kills_ffmpeg_left_over_by_an_earlier_run()
    {
        var workDirectory = Path.Combine(Path.GetTempPath(), "video-relay-tests", Guid.NewGuid().ToString("N"));
        var relayDirectory = Path.Combine(workDirectory, "relay");
        // An ffmpeg carrying this work directory's owner mark, as a relay killed between fork and arming the
        // death signal would leave behind; started plainly, so nothing else will kill it.
        var leftover = new ProcessStartInfo("ffmpeg") { RedirectStandardInput = true, RedirectStandardError = true };
        foreach (var a in "-nostdin -loglevel quiet -re -f lavfi -i testsrc=size=64x64:rate=5 -f null -".Split(' ')) leftover.ArgumentList.Add(a);
        leftover.Environment[OrphanSweeper.OwnerVariable] = relayDirectory;
        using var stray = Process.Start(leftover)!;
        try
        {
            Assert.True(ProcessTable.IsAlive(stray.Id));

            await using var host = await RelayHost.StartAsync(new CameraDirectory(), workDirectory: workDirectory);

            await stray.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
            Assert.Empty(OrphanSweeper.FindOwnedProcesses(relayDirectory));
        }
        finally
        {
            if (!stray.HasExited) stray.Kill();
            Directory.Delete(workDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task An_ffmpeg_started_from_a_thread_that_then_exits_keeps_running()
    {
        var paths = new RelayPaths(Options.Create(new VideoRelayOptions { WorkDirectory = Path.Combine(Path.GetTempPath(), "video-relay-tests", Guid.NewGuid().ToString("N")) }));
        var launcher = new FfmpegLauncher(paths, Options.Create(new VideoRelayOptions()), NullLogger<FfmpegLauncher>.Instance);
        using var stop = new CancellationTokenSource();
        Task<FFMpegResult>? run = null;
        var marker = Guid.NewGuid().ToString("N");
        try
        {
            var starter = new Thread(() =>
            {
                run = launcher.RunAsync(
                    FFMpegArguments.FromFileInput("testsrc=size=64x64:rate=5", verifyExists: false, i => i.WithCustomArgument("-re -f lavfi"))
                        .OutputToNull(o => o.WithCustomArgument($"-f null -metadata title={marker}")), stop.Token);
                // Outlive the moment ffmpeg runs (the death signal is armed by then), as a request thread would.
                var deadline = DateTime.UtcNow + Deadline;
                while (ProcessTable.Ffmpegs(marker).Count == 0 && DateTime.UtcNow < deadline) Thread.Sleep(10);
            });
            starter.Start();
            starter.Join();
            var ffmpeg = Assert.Single(ProcessTable.Ffmpegs(marker));

            // The parent-death signal would fire right when the starting thread ended; give it a moment to.
            await Task.Delay(TimeSpan.FromMilliseconds(500));

            Assert.True(ProcessTable.IsAlive(ffmpeg.Pid), "ffmpeg died with the thread that asked for it");
            Assert.False(run!.IsCompleted);
        }
        finally
        {
            await stop.CancelAsync();
            if (run is not null) await run;
            Directory.Delete(paths.WorkDirectory, recursive: true);
        }
    }

    [Fact]
    public async Task The_death_signal_follows_the_forking_thread_which_is_why_one_thread_forks()
    {
        // Documents the kernel behaviour the launcher is built around: a child armed with
        // PR_SET_PDEATHSIG dies when the thread that forked it exits, though the process lives on.
        Process? child = null;
        var thread = new Thread(() =>
        {
            var start = new ProcessStartInfo("setpriv") { RedirectStandardInput = true };
            foreach (var a in new[] { "--pdeathsig", "KILL", "--", "sleep", "30" }) start.ArgumentList.Add(a);
            child = Process.Start(start)!;
            // setpriv arms the signal just before it execs sleep; a parent gone before that goes unnoticed
            // (the race the start-up sweep covers). So this thread ends only once sleep runs.
            var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(5);
            while (!File.ReadAllText($"/proc/{child.Id}/cmdline").StartsWith("sleep", StringComparison.Ordinal) && DateTime.UtcNow < deadline)
                Thread.Sleep(5);
        });
        thread.Start();
        thread.Join();
        using var _ = child;

        await child!.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        Assert.True(child.HasExited);
    }
}
