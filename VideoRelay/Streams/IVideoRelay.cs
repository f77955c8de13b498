namespace CommandCenter.VideoRelay.Streams;

/// <summary>The relay as other code sees it, e.g. to warm up a camera's stream when an alert fires.</summary>
public interface IVideoRelay
{
    /// <summary>Starts relaying the camera unless it already runs, and marks it watched, so it stays up for at
    /// least <see cref="VideoRelayOptions.IdleStopAfter"/>.</summary>
    ValueTask<EnsureStreamingResult> EnsureStreamingAsync(string cameraId, CancellationToken ct = default);

    /// <summary>Stops relaying the camera now, if it runs.</summary>
    Task StopStreamingAsync(string cameraId);

    IReadOnlyList<StreamStatus> GetStatus();
}
