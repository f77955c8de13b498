using System.Net;
using CommandCenter.VideoRelay.Cameras;
using CommandCenter.VideoRelay.Http;
using CommandCenter.VideoRelay.Streams;
using Microsoft.Extensions.Options;

namespace CommandCenter.VideoRelay.Snapshots;

/// <summary>
/// Snapshots from the node that relays the camera: its running stream is the cheap source, and a second node asking
/// the camera directly would spend one of the few sessions a camera allows.
/// </summary>
internal sealed class PlacedSnapshotService(
    SnapshotService local, IStreamPlacement placement, RelayProxy proxy, IOptions<VideoRelayOptions> options) : ISnapshotService
{
    public async Task<byte[]> TakeAsync(string cameraId, CancellationToken ct)
    {
        if (!CameraIds.IsValid(cameraId)) throw new CameraNotFoundException(cameraId);
        for (var attempt = 0; attempt < 2; attempt++)
        {
            if (await FindOwnerAsync(cameraId, ct) is not { } owner) return await local.TakeAsync(cameraId, ct);
            using var answer = await proxy.SendAsync(owner, cameraId, "snapshot.jpg", options.Value.SnapshotTimeout, ct);
            if (answer is null) continue;
            return answer.StatusCode switch
            {
                HttpStatusCode.OK => await answer.Content.ReadAsByteArrayAsync(ct),
                HttpStatusCode.NotFound => throw new CameraNotFoundException(cameraId),
                var status => throw new SnapshotFailedException(cameraId, $"the relaying node answered {(int)status}"),
            };
        }
        throw new SnapshotFailedException(cameraId, "the relaying node cannot be reached");
    }

    /// <summary>The placement's answer; its failure (the cluster cannot say who relays) is a failed snapshot, as callers expect.</summary>
    private async Task<Uri?> FindOwnerAsync(string cameraId, CancellationToken ct)
    {
        try
        {
            return await placement.FindOwnerAsync(cameraId, ct);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            throw new SnapshotFailedException(cameraId, "no relaying node found: " + e.Message);
        }
    }
}
