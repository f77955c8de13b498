using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace CommandCenter.VideoRelay.Ffmpeg;

/// <summary>Absolute locations under <see cref="VideoRelayOptions.WorkDirectory"/>.</summary>
internal sealed class RelayPaths(IOptions<VideoRelayOptions> options, IHostEnvironment? environment = null)
{
    public string WorkDirectory { get; } = Path.GetFullPath(options.Value.WorkDirectory,
        environment?.ContentRootPath ?? Directory.GetCurrentDirectory());

    public string StreamsDirectory => Path.Combine(WorkDirectory, "streams");

    public string LauncherDirectory => Path.Combine(WorkDirectory, "bin");

    public string StreamDirectory(string cameraId) => Path.Combine(StreamsDirectory, cameraId);
}
