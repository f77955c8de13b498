using CommandCenter.Grains.Video;
using CommandCenter.VideoRelay.Streams;

namespace CommandCenter.Web.Video.Cluster;

/// <summary>Asks the camera's relay-owner grain which node relays it; claiming it for this node when nobody does.</summary>
internal sealed class GrainStreamPlacement(IGrainFactory grains, LocalRelayNode local, HeldLeases held) : IStreamPlacement
{
    public async ValueTask<Uri?> FindOwnerAsync(string cameraId, CancellationToken ct)
    {
        var self = local.Node;
        var owner = await grains.GetGrain<IRelayOwnerGrain>(cameraId).Claim(self).WaitAsync(ct);
        if (!owner.Silo.Equals(self.Silo)) return new Uri(owner.Url);
        held.Add(cameraId);
        return null;
    }
}
