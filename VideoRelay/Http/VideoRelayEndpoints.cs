using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Options;
using CommandCenter.VideoRelay.Cameras;
using CommandCenter.VideoRelay.Snapshots;
using CommandCenter.VideoRelay.Streams;

namespace CommandCenter.VideoRelay.Http;

public static class VideoRelayEndpoints
{
    private const string PlaylistContentType = "application/vnd.apple.mpegurl";
    private const string SegmentContentType = "video/mp2t";

    /// <summary>
    /// Maps <c>GET {prefix}/status</c>, <c>{prefix}/{cameraId}/index.m3u8</c>, <c>{prefix}/{cameraId}/{segment}</c> and
    /// <c>{prefix}/{cameraId}/snapshot.jpg</c>. Returns the group so the caller can add authorization.
    /// </summary>
    /// <param name="mayReadErrors">
    /// Who sees why a stream fails (ffmpeg's words, redacted); everyone else reads "stream unavailable", because the
    /// difference between refused, timed out and not found tells about the network behind a camera. Null: everyone.
    /// </param>
    public static RouteGroupBuilder MapVideoRelay(this IEndpointRouteBuilder endpoints, string prefix = "/video",
        Func<ClaimsPrincipal, bool>? mayReadErrors = null)
    {
        var group = endpoints.MapGroup(prefix);
        group.MapGet("/status", (StreamRegistry streams, HttpContext http) =>
        {
            var status = streams.GetStatus();
            if (mayReadErrors is null || mayReadErrors(http.User)) return Results.Ok(status);
            return Results.Ok(status.Select(s => s.LastError is null ? s : s with { LastError = StreamLoss.Unavailable }));
        });
        group.MapGet("/{cameraId}/" + HlsOutput.PlaylistName, PlaylistAsync);
        group.MapGet("/{cameraId}/snapshot.jpg", SnapshotAsync);
        group.MapGet("/{cameraId}/{segment}", Segment);
        return group;
    }

    private static async Task<IResult> PlaylistAsync(
        string cameraId, StreamRegistry streams, IOptions<VideoRelayOptions> options, HttpContext http)
    {
        var ct = http.RequestAborted;
        var (result, stream) = await streams.GetOrStartAsync(cameraId, ct);
        if (result == EnsureStreamingResult.UnknownCamera) return Results.NotFound();
        if (stream is null) return Unavailable(http, options.Value);
        if (!await stream.WaitUntilOnlineAsync(options.Value.PlaylistWaitTimeout, ct)) return Unavailable(http, options.Value);
        try
        {
            var playlist = await File.ReadAllTextAsync(stream.Output.PlaylistPath, ct);
            NoCache(http);
            return Results.Text(playlist, PlaylistContentType);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            // Lost between coming online and this read.
            return Unavailable(http, options.Value);
        }
    }

    private static IResult Segment(string cameraId, string segment, StreamRegistry streams, HttpContext http)
    {
        if (!CameraIds.IsValid(cameraId) || !HlsOutput.IsSegmentName(segment)) return Results.NotFound();
        if (streams.Find(cameraId)?.Output.SegmentPath(segment) is not { } path) return Results.NotFound();
        try
        {
            var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            // Segment names are never reused (they count from the clock), so their content never changes.
            http.Response.Headers.CacheControl = "private, max-age=60";
            return Results.Stream(file, SegmentContentType);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return Results.NotFound();
        }
    }

    private static async Task<IResult> SnapshotAsync(
        string cameraId, ISnapshotService snapshots, IOptions<VideoRelayOptions> options, HttpContext http)
    {
        if (!CameraIds.IsValid(cameraId)) return Results.NotFound();
        try
        {
            var jpeg = await snapshots.TakeAsync(cameraId, http.RequestAborted);
            NoCache(http);
            return Results.File(jpeg, "image/jpeg");
        }
        catch (CameraNotFoundException)
        {
            return Results.NotFound();
        }
        catch (SnapshotFailedException)
        {
            return Unavailable(http, options.Value);
        }
    }

    private static IResult Unavailable(HttpContext http, VideoRelayOptions options)
    {
        http.Response.Headers.RetryAfter = Math.Max(1, (int)Math.Ceiling(options.RetryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
        NoCache(http);
        return Results.StatusCode(StatusCodes.Status503ServiceUnavailable);
    }

    private static void NoCache(HttpContext http) => http.Response.Headers.CacheControl = "no-cache, no-store";
}
