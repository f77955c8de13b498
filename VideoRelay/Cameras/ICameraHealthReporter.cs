namespace CommandCenter.VideoRelay.Cameras;

/// <summary>
/// Receives stream health while a camera is being relayed: online when the first segment of a run appears,
/// offline when a run is lost, with a short fixed reason ("stream unavailable", "stalled" or "ended"; the details
/// are logged). Only changes are reported; a stream
/// stopped because nobody watches it is not reported as offline.
/// </summary>
public interface ICameraHealthReporter
{
    Task ReportAsync(string cameraId, bool online, string? reason, CancellationToken ct);
}
