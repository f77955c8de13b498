namespace CommandCenter.VideoRelay.Snapshots;

/// <summary>Still pictures of cameras, e.g. to attach to an alert.</summary>
public interface ISnapshotService
{
    /// <summary>
    /// A JPEG of the camera: from the live relay when it runs (cheap: the first frame of the newest segment),
    /// otherwise straight from the camera. Throws <see cref="CameraNotFoundException"/> for an unknown camera and
    /// <see cref="SnapshotFailedException"/> when no picture came within <see cref="VideoRelayOptions.SnapshotTimeout"/>.
    /// </summary>
    Task<byte[]> TakeAsync(string cameraId, CancellationToken ct);
}

public sealed class CameraNotFoundException(string cameraId) : Exception($"No camera '{cameraId}'.")
{
    public string CameraId { get; } = cameraId;
}

public sealed class SnapshotFailedException(string cameraId, string reason) : Exception($"No snapshot of camera '{cameraId}': {reason}")
{
    public string CameraId { get; } = cameraId;
    public string Reason { get; } = reason;
}
