namespace CommandCenter.VideoRelay;

/// <summary>Settings of the video relay, bound from the configuration section <c>VideoRelay</c>.</summary>
public sealed class VideoRelayOptions
{
    public const string SectionName = "VideoRelay";

    /// <summary>Folder holding the ffmpeg executable; empty means look it up on PATH.</summary>
    public string? FfmpegFolder { get; set; }

    /// <summary>Where HLS output and the ffmpeg launcher live; a relative path is taken from the content root.</summary>
    public string WorkDirectory { get; set; } = "data/video";

    /// <summary>Target HLS segment length. Segments can only be cut at keyframes, so the camera's GOP is the floor.</summary>
    public TimeSpan SegmentLength { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Segments listed in the live playlist.</summary>
    public int PlaylistSize { get; set; } = 4;

    /// <summary>
    /// ffmpeg's RTSP <c>-timeout</c>. Measured with ffmpeg 5.1: a camera that goes silent makes ffmpeg exit after
    /// about twice this (it retries the read once), so a stall is noticed after roughly 2 × ReadTimeout.
    /// </summary>
    public TimeSpan ReadTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long ffmpeg analyses a new input before relaying. Measured with 1 s GOPs: up to 0.15 s the first
    /// playlist came after 1.8 s, from 0.2 s on after 2.8 s (the first segment ends a keyframe later). Copying
    /// needs no decoded parameters, so a short analysis costs nothing but warnings on odd cameras.
    /// </summary>
    public TimeSpan AnalyzeDuration { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>A stream nobody asked for (playlist, segment, <c>EnsureStreaming</c>) for this long is stopped.</summary>
    public TimeSpan IdleStopAfter { get; set; } = TimeSpan.FromSeconds(60);

    public TimeSpan IdleCheckInterval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>First wait before restarting a lost stream; doubles on each failure up to <see cref="RestartBackoffMax"/>.</summary>
    public TimeSpan RestartBackoffInitial { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan RestartBackoffMax { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Consecutive runs that fail before their first segment after which the camera is reported offline.
    /// A run lost after it was online is reported at once.
    /// </summary>
    public int FailedStartsBeforeOffline { get; set; } = 2;

    /// <summary>A started ffmpeg that has produced no segment after this long is treated as failed.</summary>
    public TimeSpan FirstSegmentTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>A running ffmpeg that has produced no new segment for this long is treated as stalled.</summary>
    public TimeSpan StallTimeout { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How often each stream's playlist is read to notice new segments.</summary>
    public TimeSpan ProgressPollInterval { get; set; } = TimeSpan.FromMilliseconds(250);

    /// <summary>How long a playlist request waits for a starting stream before answering 503.</summary>
    public TimeSpan PlaylistWaitTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Retry-After sent with 503 answers.</summary>
    public TimeSpan RetryAfter { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>After asking ffmpeg to quit, how long to wait before killing it.</summary>
    public TimeSpan StopGracePeriod { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Longest a snapshot may take, including the wait for a just-started stream's first segment.</summary>
    public TimeSpan SnapshotTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>ffmpeg's MJPEG quality scale, 2 (best) to 31.</summary>
    public int SnapshotQuality { get; set; } = 4;

    public int MaxConcurrentSnapshots { get; set; } = 4;

    public int MaxConcurrentStreams { get; set; } = 32;

    /// <summary>
    /// ffmpeg processes allowed to be starting at once. Starting is the expensive part (loading ffmpeg's libraries
    /// and probing the stream: measured 32 simultaneous starts saturating 2 cores for 8 s), so a burst — a video wall
    /// opened, or many cameras coming back together — is started a few at a time instead of starving everything.
    /// </summary>
    public int MaxConcurrentStarts { get; set; } = 8;

    /// <summary>A starting ffmpeg gives up its start slot when its first segment appears or after this long.</summary>
    public TimeSpan StartSlotHold { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Upper bound for one call to <see cref="Cameras.ICameraHealthReporter"/>.</summary>
    public TimeSpan HealthReportTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// On a cluster, how long a node waits to connect to the node that relays a camera before asking the cluster
    /// again who relays it (a viewer then gets 503 with Retry-After rather than a hung request).
    /// </summary>
    public TimeSpan ProxyConnectTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Last ffmpeg error lines kept per stream for the status page and loss reasons.</summary>
    public int StderrLinesKept { get; set; } = 20;
}
