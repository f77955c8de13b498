using System.Net;
using System.Text.Json;
using CommandCenter.VideoRelay.Tests.Infrastructure;

namespace CommandCenter.VideoRelay.Tests;

public sealed class EndpointTests(CameraServerFixture cameras) : IClassFixture<CameraServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Theory]
    [InlineData("/video/no-such-camera/index.m3u8")]
    [InlineData("/video/no-such-camera/seg-1.ts")]
    [InlineData("/video/..%2F..%2Fetc/index.m3u8")]
    [InlineData("/video/.hidden/index.m3u8")]
    public async Task Unknown_or_malformed_cameras_are_not_found(string path)
    {
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(1));
        Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync(path)).StatusCode);
        Assert.Empty(host.Relay.GetStatus());
    }

    [Fact]
    public async Task Only_finished_segments_of_the_stream_folder_are_served()
    {
        var camera = cameras.Camera(1);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(1));
        var playlist = await (await host.PlaylistAsync(camera.Id, TimeSpan.FromSeconds(20))).Content.ReadAsStringAsync();
        var segment = Playlist.NewestSegment(playlist);
        var streamFolder = Path.Combine(host.RelayDirectory, "streams", camera.Id);
        await File.WriteAllTextAsync(Path.Combine(host.RelayDirectory, "secret.txt"), "not for browsers");

        var served = await host.Http.GetAsync($"/video/{camera.Id}/{segment}");
        Assert.Equal(HttpStatusCode.OK, served.StatusCode);
        Assert.Equal("video/mp2t", served.Content.Headers.ContentType?.MediaType);
        Assert.Equal(new FileInfo(Path.Combine(streamFolder, segment)).Length, (await served.Content.ReadAsByteArrayAsync()).Length);

        foreach (var path in new[]
                 {
                     $"/video/{camera.Id}/..%2Fsecret.txt",
                     $"/video/{camera.Id}/..%2F..%2Fsecret.txt",
                     $"/video/{camera.Id}/%2E%2E%2F%2E%2E%2Fsecret.txt",
                     $"/video/{camera.Id}/{segment}.tmp",
                     $"/video/{camera.Id}/index.m3u8.tmp",
                     $"/video/{camera.Id}/seg-1.ts",
                     $"/video/{camera.Id}/seg-x.ts",
                 })
        {
            Assert.Equal(HttpStatusCode.NotFound, (await host.Http.GetAsync(path)).StatusCode);
        }
    }

    [Fact]
    public async Task A_playlist_that_is_not_ready_in_time_answers_503_with_retry_after()
    {
        var camera = cameras.Camera(2);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(2), new Dictionary<string, string>
        {
            ["PlaylistWaitTimeout"] = "00:00:01.500",
            ["RetryAfter"] = "00:00:03",
        });
        camera.Stall();
        try
        {
            var started = DateTime.UtcNow;
            var response = await host.Http.GetAsync($"/video/{camera.Id}/index.m3u8");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(3), response.Headers.RetryAfter?.Delta);
            Assert.InRange((DateTime.UtcNow - started).TotalSeconds, 1.4, 5);
        }
        finally
        {
            camera.Resume();
        }
        await Eventually.TrueAsync(async () => (await host.Http.GetAsync($"/video/{camera.Id}/index.m3u8")).StatusCode == HttpStatusCode.OK,
            Deadline, "the playlist once the camera is back");
    }

    [Fact]
    public async Task Streams_beyond_the_maximum_are_refused_with_503()
    {
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(3, 4), new Dictionary<string, string> { ["MaxConcurrentStreams"] = "1" });
        Assert.Equal(HttpStatusCode.OK, (await host.PlaylistAsync(cameras.Camera(3).Id, TimeSpan.FromSeconds(20))).StatusCode);

        var refused = await host.Http.GetAsync($"/video/{cameras.Camera(4).Id}/index.m3u8");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, refused.StatusCode);
        Assert.NotNull(refused.Headers.RetryAfter);
    }

    [Fact]
    public async Task Status_lists_streams_without_urls()
    {
        var camera = cameras.Camera(5);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(5));
        await host.Relay.EnsureStreamingAsync(camera.Id);
        await host.Health.WaitForAsync(camera.Id, online: true, Deadline);

        var json = await host.Http.GetStringAsync("/video/status");

        using var document = JsonDocument.Parse(json);
        var stream = Assert.Single(document.RootElement.EnumerateArray());
        Assert.Equal(camera.Id, stream.GetProperty("cameraId").GetString());
        Assert.Equal("Online", stream.GetProperty("state").GetString());
        // A loaded machine may have the relay restart ffmpeg once before its first segment: counted, not a failure here.
        Assert.True(stream.GetProperty("restarts").GetInt32() >= 0);
        Assert.True(stream.TryGetProperty("since", out _));
        Assert.True(stream.TryGetProperty("lastError", out _));
        Assert.DoesNotContain("rtsp:", json);
        Assert.DoesNotContain(cameras.Server.Port.ToString(), json);
    }
}
