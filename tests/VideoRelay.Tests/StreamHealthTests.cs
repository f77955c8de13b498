using CommandCenter.VideoRelay.Streams;
using CommandCenter.VideoRelay.Tests.Infrastructure;

namespace CommandCenter.VideoRelay.Tests;

public sealed class StreamHealthTests(CameraServerFixture cameras) : IClassFixture<CameraServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_camera_that_hangs_up_is_reported_offline_and_online_again_after_it_comes_back()
    {
        var camera = cameras.Camera(1);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(1));
        await host.Relay.EnsureStreamingAsync(camera.Id);
        await host.Health.WaitForAsync(camera.Id, online: true, Deadline);
        var before = host.Health.Reports.Count;

        camera.HangUp();
        try
        {
            var offline = await host.Health.WaitForAsync(camera.Id, online: false, TimeSpan.FromSeconds(10), before);
            Assert.Equal(StreamLoss.Ended, offline.Reason);
            Assert.Contains(host.Logs.Lines, l => l.Contains("exited with code 0", StringComparison.Ordinal));
            await Eventually.TrueAsync(() => StateOf(host, camera.Id) is StreamState.Retrying or StreamState.Starting, Deadline, "the stream to retry");
        }
        finally
        {
            camera.Resume();
        }

        var resumedAt = DateTimeOffset.UtcNow;
        var online = await host.Health.WaitForAsync(camera.Id, online: true, Deadline, before);
        Assert.True(online.At >= resumedAt);
        var status = Assert.Single(host.Relay.GetStatus());
        Assert.Equal(StreamState.Online, status.State);
        Assert.True(status.Restarts >= 1);
    }

    [Fact]
    public async Task A_stalled_camera_is_noticed_through_the_read_timeout_and_recovers()
    {
        var camera = cameras.Camera(2);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(2));
        await host.Relay.EnsureStreamingAsync(camera.Id);
        await host.Health.WaitForAsync(camera.Id, online: true, Deadline);
        var before = host.Health.Reports.Count;

        camera.Stall();
        var stalledAt = DateTimeOffset.UtcNow;
        try
        {
            var offline = await host.Health.WaitForAsync(camera.Id, online: false, TimeSpan.FromSeconds(10), before);
            // ReadTimeout is 1.5 s (ffmpeg gives up after about twice that) and StallTimeout 6 s here:
            // ffmpeg's own timeout must be what noticed it.
            Assert.Equal(StreamLoss.Ended, offline.Reason);
            Assert.Contains(host.Logs.Lines, l => l.Contains("exited with code", StringComparison.Ordinal));
            Assert.True(offline.At - stalledAt < TimeSpan.FromSeconds(5), $"noticed after {(offline.At - stalledAt).TotalSeconds:0.0} s");
        }
        finally
        {
            camera.Resume();
        }
        await host.Health.WaitForAsync(camera.Id, online: true, Deadline, before);
    }

    [Fact]
    public async Task A_running_ffmpeg_that_stops_producing_segments_is_restarted()
    {
        var camera = cameras.Camera(3);
        // A read timeout far beyond the stall timeout: only the relay's own watch can notice the stall.
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(3), new Dictionary<string, string>
        {
            ["ReadTimeout"] = "00:01:00",
            ["StallTimeout"] = "00:00:03",
        });
        await host.Relay.EnsureStreamingAsync(camera.Id);
        await host.Health.WaitForAsync(camera.Id, online: true, Deadline);
        var firstFfmpeg = Assert.Single(ProcessTable.Ffmpegs(host.RelayDirectory));
        var before = host.Health.Reports.Count;

        camera.Stall();
        try
        {
            var offline = await host.Health.WaitForAsync(camera.Id, online: false, TimeSpan.FromSeconds(12), before);
            Assert.Equal(StreamLoss.Stalled, offline.Reason);
            Assert.Contains(host.Logs.Lines, l => l.Contains("no new segment", StringComparison.Ordinal));
            await Eventually.TrueAsync(() => !ProcessTable.IsAlive(firstFfmpeg.Pid), TimeSpan.FromSeconds(5), "the stalled ffmpeg to be stopped");
        }
        finally
        {
            camera.Resume();
        }
        await host.Health.WaitForAsync(camera.Id, online: true, Deadline, before);
    }

    [Fact]
    public async Task Restarts_back_off_while_the_camera_stays_down()
    {
        var camera = cameras.Camera(4);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(4), new Dictionary<string, string>
        {
            ["RestartBackoffInitial"] = "00:00:00.200",
            ["RestartBackoffMax"] = "00:00:01.600",
        });
        camera.HangUp();
        try
        {
            await host.Relay.EnsureStreamingAsync(camera.Id);
            var offline = await host.Health.WaitForAsync(camera.Id, online: false, Deadline);
            Assert.NotNull(offline.Reason);
            // Attempts fail at once, so restarts follow the back-off: 0.2 + 0.4 + 0.8 + 1.6 + 1.6 … s.
            await Eventually.TrueAsync(() => RestartsOf(host, camera.Id) >= 5, Deadline, "five restarts");
            var window = DateTime.UtcNow;
            var restartsAtStart = RestartsOf(host, camera.Id);
            await Eventually.TrueAsync(() => RestartsOf(host, camera.Id) >= restartsAtStart + 2, Deadline, "two more restarts");
            Assert.True(DateTime.UtcNow - window > TimeSpan.FromSeconds(1.6), "restarts should be spaced by the capped back-off");
            Assert.Single(host.Health.Reports, r => r.CameraId == camera.Id && !r.Online);
        }
        finally
        {
            camera.Resume();
        }
        await host.Health.WaitForAsync(camera.Id, online: true, Deadline);
    }

    private static StreamState? StateOf(RelayHost host, string cameraId) =>
        host.Relay.GetStatus().SingleOrDefault(s => s.CameraId == cameraId)?.State;

    private static int RestartsOf(RelayHost host, string cameraId) =>
        host.Relay.GetStatus().SingleOrDefault(s => s.CameraId == cameraId)?.Restarts ?? 0;
}
