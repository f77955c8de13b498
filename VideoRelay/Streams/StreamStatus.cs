namespace CommandCenter.VideoRelay.Streams;

/// <summary>What the status page shows about one relayed stream. Never contains the camera's URL.</summary>
public sealed record StreamStatus(
    string CameraId,
    StreamState State,
    DateTimeOffset Since,
    int Restarts,
    string? LastError,
    DateTimeOffset LastWatched,
    DateTimeOffset? LastSegmentAt);
