using System.Net;
using FFMpegCore;
using CommandCenter.VideoRelay.Streams;
using CommandCenter.VideoRelay.Tests.Infrastructure;

namespace CommandCenter.VideoRelay.Tests;

public sealed class HlsRelayTests(CameraServerFixture cameras) : IClassFixture<CameraServerFixture>
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task Relays_the_camera_as_hls_that_ffprobe_reads_as_advancing_h264()
    {
        var camera = cameras.Camera(1);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(1));

        var response = await host.PlaylistAsync(camera.Id, Deadline);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/vnd.apple.mpegurl", response.Content.Headers.ContentType?.MediaType);
        var first = await response.Content.ReadAsStringAsync();
        Assert.StartsWith("#EXTM3U", first);
        var firstSegment = Playlist.NewestSegment(first);

        // ffprobe reads the live playlist over HTTP as a player would.
        var live = await FFProbe.AnalyseAsync(new Uri(host.Http.BaseAddress!, $"/video/{camera.Id}/index.m3u8"));
        Assert.Equal("h264", live.PrimaryVideoStream?.CodecName);

        var firstProbe = await ProbeSegmentAsync(host, camera.Id, firstSegment);
        Assert.Equal("h264", firstProbe.PrimaryVideoStream?.CodecName);
        Assert.Equal((640, 360), (firstProbe.PrimaryVideoStream!.Width ?? 0, firstProbe.PrimaryVideoStream.Height ?? 0));
        Assert.InRange(firstProbe.Duration.TotalSeconds, 0.5, 2.5);

        var later = await Eventually.GetAsync(async () =>
        {
            var playlist = await host.Http.GetStringAsync($"/video/{camera.Id}/index.m3u8");
            var newest = Playlist.NewestSegment(playlist);
            return Playlist.Number(newest) >= Playlist.Number(firstSegment) + 2 ? newest : null;
        }, Deadline, "two more segments");
        var laterProbe = await ProbeSegmentAsync(host, camera.Id, later);
        Assert.Equal("h264", laterProbe.PrimaryVideoStream?.CodecName);
        Assert.True(laterProbe.Format.StartTime > firstProbe.Format.StartTime + TimeSpan.FromSeconds(1),
            $"media time should advance: {firstProbe.Format.StartTime} then {laterProbe.Format.StartTime}");
    }

    [Fact]
    public async Task Idle_streams_stop_and_their_ffmpeg_exits()
    {
        var camera = cameras.Camera(2);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(2), new Dictionary<string, string> { ["IdleStopAfter"] = "00:00:03" });

        Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/video/{camera.Id}/index.m3u8")).StatusCode);
        Assert.NotEmpty(ProcessTable.Ffmpegs(host.RelayDirectory));

        // Watched by playlist requests for longer than IdleStopAfter: keeps running.
        var watchedUntil = DateTime.UtcNow.AddSeconds(4.5);
        while (DateTime.UtcNow < watchedUntil)
        {
            Assert.Equal(HttpStatusCode.OK, (await host.Http.GetAsync($"/video/{camera.Id}/index.m3u8")).StatusCode);
            await Task.Delay(500);
        }
        Assert.Equal(StreamState.Online, Assert.Single(host.Relay.GetStatus()).State);

        // Unwatched: stops within IdleStopAfter plus a check interval or two.
        await Eventually.TrueAsync(() => host.Relay.GetStatus().Count == 0, TimeSpan.FromSeconds(10), "the idle stream to stop");
        await Eventually.TrueAsync(() => ProcessTable.Ffmpegs(host.RelayDirectory).Count == 0, TimeSpan.FromSeconds(5), "its ffmpeg to exit");
        await Eventually.TrueAsync(() => !Directory.Exists(Path.Combine(host.RelayDirectory, "streams", camera.Id)), TimeSpan.FromSeconds(5), "its files to go");
    }

    [Fact]
    public async Task Ensure_streaming_starts_a_stream_without_a_viewer()
    {
        var camera = cameras.Camera(3);
        await using var host = await RelayHost.StartAsync(cameras.DirectoryOf(3));

        Assert.Equal(EnsureStreamingResult.Streaming, await host.Relay.EnsureStreamingAsync(camera.Id));
        Assert.Equal(EnsureStreamingResult.UnknownCamera, await host.Relay.EnsureStreamingAsync("no-such-camera"));

        var online = await host.Health.WaitForAsync(camera.Id, online: true, Deadline);
        Assert.Null(online.Reason);
        Assert.Equal(StreamState.Online, Assert.Single(host.Relay.GetStatus()).State);
    }

    private static async Task<IMediaAnalysis> ProbeSegmentAsync(RelayHost host, string cameraId, string segment)
    {
        var bytes = await host.Http.GetByteArrayAsync($"/video/{cameraId}/{segment}");
        var file = Path.Combine(host.WorkDirectory, segment);
        await File.WriteAllBytesAsync(file, bytes);
        return await FFProbe.AnalyseAsync(file);
    }
}

internal static class Playlist
{
    public static string NewestSegment(string playlist) =>
        playlist.Split('\n', StringSplitOptions.TrimEntries).Last(l => l.StartsWith("seg-", StringComparison.Ordinal));

    public static long Number(string segment) => long.Parse(segment["seg-".Length..^".ts".Length]);
}
