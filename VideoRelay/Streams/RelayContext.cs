using Microsoft.Extensions.Logging;
using VideoRelay.Cameras;
using VideoRelay.Ffmpeg;

namespace VideoRelay.Streams;

/// <summary>What every <see cref="RelayStream"/> needs from the relay.</summary>
internal sealed record RelayContext(
    VideoRelayOptions Options,
    RelayPaths Paths,
    FfmpegLauncher Launcher,
    CameraServices Cameras,
    SemaphoreSlim StartSlots,
    TimeProvider Time,
    ILogger Logger);
