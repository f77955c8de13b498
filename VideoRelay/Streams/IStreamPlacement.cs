namespace CommandCenter.VideoRelay.Streams;

/// <summary>
/// Which node relays a camera. A single node relays everything itself; on a cluster one node at a time relays
/// each camera and the others pass their viewers' requests on to it.
/// </summary>
public interface IStreamPlacement
{
    /// <summary>
    /// Null when this node relays the camera (it may just have become its relay), otherwise the base URL of the node
    /// that does. Asking again after that node could not be reached is how a request moves to a live node.
    /// </summary>
    ValueTask<Uri?> FindOwnerAsync(string cameraId, CancellationToken ct);
}

/// <summary>The single node: every camera is relayed here, with no lookup.</summary>
internal sealed class LocalPlacement : IStreamPlacement
{
    public ValueTask<Uri?> FindOwnerAsync(string cameraId, CancellationToken ct) => ValueTask.FromResult<Uri?>(null);
}
