using Microsoft.AspNetCore.DataProtection;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using CommandCenter.VideoRelay.Cameras;
using CommandCenter.VideoRelay.Ffmpeg;
using CommandCenter.VideoRelay.Http;
using CommandCenter.VideoRelay.Snapshots;
using CommandCenter.VideoRelay.Streams;

namespace CommandCenter.VideoRelay;

public static class VideoRelayServiceCollectionExtensions
{
    /// <summary>
    /// Registers the relay (options from the <c>VideoRelay</c> section, <see cref="IVideoRelay"/>,
    /// <see cref="ISnapshotService"/> and the hosted service). The application must register its own
    /// <see cref="ICameraDirectory"/> and <see cref="ICameraHealthReporter"/>, and map the endpoints with
    /// <c>MapVideoRelay()</c>.
    /// </summary>
    public static IServiceCollection AddVideoRelay(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<VideoRelayOptions>()
            .Bind(configuration.GetSection(VideoRelayOptions.SectionName))
            .Validate(o => o.ProxyConnectTimeout > TimeSpan.Zero && o.SegmentLength > TimeSpan.Zero && o.PlaylistSize > 0 && o.ReadTimeout > TimeSpan.Zero
                           && o.MaxConcurrentStreams > 0 && o.MaxConcurrentSnapshots > 0 && o.MaxConcurrentStarts > 0
                           && o.RestartBackoffInitial > TimeSpan.Zero && o.RestartBackoffMax >= o.RestartBackoffInitial,
                "VideoRelay options out of range")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<RelayPaths>();
        services.AddSingleton<FfmpegLauncher>();
        services.AddSingleton<CameraServices>();
        services.AddSingleton<StreamRegistry>();
        // A cluster replaces the placement; alone, every camera is relayed here and nothing is proxied.
        services.TryAddSingleton<IStreamPlacement, LocalPlacement>();
        services.AddDataProtection();
        services.AddSingleton<RelayHop>();
        services.AddSingleton<RelayProxy>();
        services.AddSingleton<IVideoRelay, PlacedVideoRelay>();
        services.AddSingleton<SnapshotService>();
        services.AddSingleton<ISnapshotService, PlacedSnapshotService>();
        services.AddHostedService<VideoRelayHostedService>();
        services.AddHealthChecks().AddCheck<FfmpegHealthCheck>("ffmpeg");
        return services;
    }
}
