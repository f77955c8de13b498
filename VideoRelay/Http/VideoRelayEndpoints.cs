using System.Globalization;
using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
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
    /// <c>{prefix}/{cameraId}/snapshot.jpg</c>. Returns the group so the caller can add authorization. A camera another
    /// node relays (see <see cref="IStreamPlacement"/>) is fetched from that node under <see cref="RelayProxy.NodePath"/>.
    /// </summary>
    /// <param name="mayReadErrors">
    /// Who sees why a stream fails (ffmpeg's words, redacted); everyone else reads "stream unavailable", because the
    /// difference between refused, timed out and not found tells about the network behind a camera. Null: everyone.
    /// </param>
    public static RouteGroupBuilder MapVideoRelay(this IEndpointRouteBuilder endpoints, string prefix = "/video",
        Func<ClaimsPrincipal, bool>? mayReadErrors = null)
    {
        // What other nodes of a cluster ask of the node that relays a camera; admitted by RelayHop, not by a sign-in.
        var node = endpoints.MapGroup(RelayProxy.NodePath).AddEndpointFilter(async (context, next) =>
            context.HttpContext.RequestServices.GetRequiredService<RelayHop>().Admits(context.HttpContext, context.HttpContext.GetRouteValue("cameraId") as string)
                ? await next(context)
                : Results.NotFound());
        node.MapGet("/{cameraId}/" + HlsOutput.PlaylistName, LocalPlaylistAsync);
        node.MapGet("/{cameraId}/snapshot.jpg", (string cameraId, SnapshotService snapshots, IOptions<VideoRelayOptions> options, HttpContext http) =>
            SnapshotAsync(cameraId, snapshots, options, http));
        node.MapGet("/{cameraId}/{segment}", LocalSegment);

        var group = endpoints.MapGroup(prefix);
        group.MapGet("/status", (StreamRegistry streams, HttpContext http) =>
        {
            var status = streams.GetStatus();
            if (mayReadErrors is null || mayReadErrors(http.User)) return Results.Ok(status);
            return Results.Ok(status.Select(s => s.LastError is null ? s : s with { LastError = StreamLoss.Unavailable }));
        });
        group.MapGet("/{cameraId}/" + HlsOutput.PlaylistName, PlaylistAsync);
        group.MapGet("/{cameraId}/snapshot.jpg", (string cameraId, ISnapshotService snapshots, IOptions<VideoRelayOptions> options, HttpContext http) =>
            SnapshotAsync(cameraId, snapshots, options, http));
        group.MapGet("/{cameraId}/{segment}", SegmentAsync);
        return group;
    }

    private static async Task<IResult> PlaylistAsync(
        string cameraId, StreamRegistry streams, IStreamPlacement placement, RelayProxy proxy, IOptions<VideoRelayOptions> options,
        ILogger<RelayProxy> logger, HttpContext http)
    {
        if (!CameraIds.IsValid(cameraId)) return Results.NotFound();
        return await ElsewhereAsync(cameraId, HlsOutput.PlaylistName, options.Value.PlaylistWaitTimeout, placement, proxy, options.Value, logger, http)
               ?? await LocalPlaylistAsync(cameraId, streams, options, http);
    }

    private static async Task<IResult> SegmentAsync(
        string cameraId, string segment, StreamRegistry streams, IStreamPlacement placement, RelayProxy proxy,
        IOptions<VideoRelayOptions> options, ILogger<RelayProxy> logger, HttpContext http)
    {
        if (!CameraIds.IsValid(cameraId) || !HlsOutput.IsSegmentName(segment)) return Results.NotFound();
        return await ElsewhereAsync(cameraId, segment, TimeSpan.Zero, placement, proxy, options.Value, logger, http)
               ?? LocalSegment(cameraId, segment, streams, http);
    }

    /// <summary>
    /// The owner's answer when another node relays the camera, null when this node does. The viewer keeps one URL
    /// (an HLS player resolves segments against the playlist's address, and a redirect would pin it to one node that
    /// may die); an owner that cannot be reached is replaced through a new claim once, then the player retries.
    /// </summary>
    private static async Task<IResult?> ElsewhereAsync(
        string cameraId, string file, TimeSpan ownerWait, IStreamPlacement placement, RelayProxy proxy, VideoRelayOptions options,
        ILogger logger, HttpContext http)
    {
        var ct = http.RequestAborted;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Uri? owner;
            try
            {
                owner = await placement.FindOwnerAsync(cameraId, ct);
            }
            catch (Exception e) when (!ct.IsCancellationRequested)
            {
                logger.LogWarning("No relay found for camera {CameraId}: {Error}", cameraId, e.Message);
                return Unavailable(http, options);
            }
            if (owner is null) return null;
            if (await proxy.SendAsync(owner, cameraId, file, ownerWait, ct) is { } answer) return new ProxiedResult(answer);
        }
        return Unavailable(http, options);
    }

    private static async Task<IResult> LocalPlaylistAsync(
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

    private static IResult LocalSegment(string cameraId, string segment, StreamRegistry streams, HttpContext http)
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
