namespace CommandCenter.VideoRelay.Cameras;

/// <summary>Tells the relay which cameras exist. Implemented by the application from its camera registry.</summary>
public interface ICameraDirectory
{
    /// <summary>The camera with this id, or null when there is none (the relay then answers 404).</summary>
    ValueTask<CameraSource?> FindAsync(string cameraId, CancellationToken ct);
}
