using Microsoft.Extensions.Logging;
using CommandCenter.VideoRelay.Cameras;
using CommandCenter.VideoRelay.Ffmpeg;

namespace CommandCenter.VideoRelay.Streams;

/// <summary>What every <see cref="RelayStream"/> needs from the relay.</summary>
internal sealed record RelayContext(
    VideoRelayOptions Options,
    RelayPaths Paths,
    FfmpegLauncher Launcher,
    CameraServices Cameras,
    SemaphoreSlim StartSlots,
    TimeProvider Time,
    ILogger Logger);
