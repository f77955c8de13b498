namespace CommandCenter.VideoRelay.Streams;

public enum EnsureStreamingResult
{
    /// <summary>The stream runs (or was just started) and counts as watched from now.</summary>
    Streaming,

    UnknownCamera,

    /// <summary><see cref="VideoRelayOptions.MaxConcurrentStreams"/> streams already run.</summary>
    AtCapacity,

    ShuttingDown,

    /// <summary>Another node relays the camera and could not be reached; asking again may find a live one.</summary>
    Unavailable,
}
