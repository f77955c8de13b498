using System.Net;
using FFMpegCore;
using CommandCenter.VideoRelay.Snapshots;
using CommandCenter.VideoRelay.Tests.Infrastructure;

namespace CommandCenter.VideoRelay.Tests;

public sealed class SnapshotTests(CameraServerFixture cameras) : IClassFixture<CameraServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);
    // A snapshot opens its own RTSP session; on a loaded machine the tests' fast 1.5 s read timeout can end it first.
    private static readonly Dictionary<string, string> PatientReads = new() { ["ReadTimeout"] = "00:00:05" };

    [Fact]
    public async Task A_snapshot_of_a_camera_not_being_relayed_comes_straight_from_it_as_jpeg()
    {
        var camera = cameras.Camera(1);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(1), PatientReads);
        var playsBefore = camera.PlaysStarted;

        var response = await host.Http.GetAsync($"/video/{camera.Id}/snapshot.jpg");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/jpeg", response.Content.Headers.ContentType?.MediaType);
        await AssertJpegAsync(host, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal(playsBefore + 1, camera.PlaysStarted);
        Assert.Empty(host.Relay.GetStatus());
    }

    [Fact]
    public async Task A_snapshot_of_a_relayed_camera_comes_from_the_relay_output()
    {
        var camera = cameras.Camera(2);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(2));
        await host.Relay.EnsureStreamingAsync(camera.Id);
        await host.Health.WaitForAsync(camera.Id, online: true, Deadline);
        var playsBefore = camera.PlaysStarted;

        var jpeg = await host.Snapshots.TakeAsync(camera.Id, CancellationToken.None);

        await AssertJpegAsync(host, jpeg);
        Assert.Equal(playsBefore, camera.PlaysStarted);
    }

    [Fact]
    public async Task Snapshots_of_unknown_or_silent_cameras_fail_cleanly()
    {
        var camera = cameras.Camera(3);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(3), new Dictionary<string, string> { ["SnapshotTimeout"] = "00:00:03" });

        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync("/video/no-such-camera/snapshot.jpg")).StatusCode);
        await Assert.ThrowsAsync<CameraNotFoundException>(() => host.Snapshots.TakeAsync("no-such-camera", CancellationToken.None));

        camera.Stall();
        try
        {
            var started = DateTime.UtcNow;
            var response = await host.Http.GetAsync($"/video/{camera.Id}/snapshot.jpg");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.NotNull(response.Headers.RetryAfter);
            Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 1.5, 8);
        }
        finally
        {
            camera.Resume();
        }
    }

    private static async Task AssertJpegAsync(RelayHost host, byte[] jpeg)
    {
        Assert.True(jpeg.Length > 1000, $"only {jpeg.Length} bytes");
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        var file = Path.Combine(host.WorkDirectory, $"{Guid.NewGuid():N}.jpg");
        await File.WriteAllBytesAsync(file, jpeg);
        var analysis = await FFProbe.AnalyseAsync(file);
        var picture = Assert.Single(analysis.VideoStreams);
        Assert.Equal("mjpeg", picture.CodecName);
        Assert.Equal((640, 360), (picture.Width ?? 0, picture.Height ?? 0));
    }
}
