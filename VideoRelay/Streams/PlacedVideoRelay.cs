using System.Net;
using CommandCenter.VideoRelay.Http;
using Microsoft.Extensions.Options;

namespace CommandCenter.VideoRelay.Streams;

/// <summary>
/// <see cref="IVideoRelay"/> for the application: warming a camera starts it on the node that relays it (asking
/// that node for its playlist), so an alert on one node does not start a second relay of a camera on another.
/// Status and stopping are about this node's own streams.
/// </summary>
internal sealed class PlacedVideoRelay(
    StreamRegistry streams, IStreamPlacement placement, RelayProxy proxy, IOptions<VideoRelayOptions> options) : IVideoRelay
{
    public async ValueTask<EnsureStreamingResult> EnsureStreamingAsync(string cameraId, CancellationToken ct = default)
    {
        if (!Cameras.CameraIds.IsValid(cameraId)) return EnsureStreamingResult.UnknownCamera;
        for (var attempt = 0; attempt < 2; attempt++)
        {
            Uri? owner;
            try
            {
                owner = await placement.FindOwnerAsync(cameraId, ct);
            }
            catch (Exception) when (!ct.IsCancellationRequested)
            {
                // The cluster cannot say who relays it now (a node just died); a later request will.
                return EnsureStreamingResult.Unavailable;
            }
            if (owner is null) return await streams.EnsureStreamingAsync(cameraId, ct);
            using var answer = await proxy.SendAsync(owner, cameraId, HlsOutput.PlaylistName, options.Value.PlaylistWaitTimeout, ct);
            if (answer is null) continue;
            return answer.StatusCode == HttpStatusCode.NotFound ? EnsureStreamingResult.UnknownCamera : EnsureStreamingResult.Streaming;
        }
        return EnsureStreamingResult.Unavailable;
    }

    public Task StopStreamingAsync(string cameraId) => streams.StopStreamingAsync(cameraId);

    public IReadOnlyList<StreamStatus> GetStatus() => streams.GetStatus();
}
