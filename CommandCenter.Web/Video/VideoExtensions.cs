using CommandCenter.Web.Accounts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Options;
using CommandCenter.VideoRelay;
using CommandCenter.VideoRelay.Cameras;
using CommandCenter.VideoRelay.Http;
using CommandCenter.Web.Cluster;
using CommandCenter.Web.Pictures;
using CommandCenter.Web.Video.Cluster;

namespace CommandCenter.Web.Video;

public static class VideoExtensions
{
    public static IServiceCollection AddVideo(this IServiceCollection services, IConfiguration configuration)
    {
        // On a cluster the relay-owner grains place each camera on one node (the placement is chosen before the
        // relay's own default, which relays everything here).
        if (!string.IsNullOrWhiteSpace(configuration[$"{ClusterOptions.Section}:{nameof(ClusterOptions.Redis)}"])) services.AddVideoCluster();
        services.AddVideoRelay(configuration);
        // The relay's working files live with the rest of the command center's data.
        services.AddOptions<VideoRelayOptions>().PostConfigure<IOptions<StorageOptions>>((relay, storage) =>
        {
            if (!Path.IsPathRooted(relay.WorkDirectory))
                relay.WorkDirectory = Path.Combine(Path.GetFullPath(storage.Value.DataDirectory), relay.WorkDirectory);
        });
        services.AddOptions<CameraOptions>().BindConfiguration(CameraOptions.Section)
            .Validate(o => !CameraUrlPolicy.Invalid(o.AllowedNetworks).Any(),
                $"{CameraOptions.Section}:{nameof(CameraOptions.AllowedNetworks)} must list CIDR networks such as 10.0.0.0/8")
            .Validate(o => o.Register.All(c => CameraUrlPolicy.Check(c.StreamUrl, o.AllowedNetworks) is null),
                $"Every camera of {CameraOptions.Section}:{nameof(CameraOptions.Register)} needs an rtsp:// URL whose host is an IP address in {CameraOptions.Section}:{nameof(CameraOptions.AllowedNetworks)}")
            .ValidateOnStart();
        services.AddSingleton<CameraUrlPolicy>();
        services.AddOptions<EvidenceOptions>().BindConfiguration(EvidenceOptions.Section)
            .Validate(o => o.QueueCapacity > 0 && o.MaxConcurrentAlerts > 0 && o.RememberedAlerts > 0
                           && o.FailedCameraCooldown >= TimeSpan.Zero && o.ReuseSnapshotFor >= TimeSpan.Zero,
                "Evidence: QueueCapacity, MaxConcurrentAlerts and RememberedAlerts must be positive, times not negative")
            .Validate(o => o.MaxSnapshotBytes is > 0 and <= PictureStore.MaxBytes,
                $"Evidence: MaxSnapshotBytes must be 1-{PictureStore.MaxBytes}")
            .ValidateOnStart();
        services.AddSingleton<CameraRegistry>();
        services.AddSingleton<ICameraDirectory>(sp => sp.GetRequiredService<CameraRegistry>());
        services.AddSingleton<ICameraHealthReporter>(sp => sp.GetRequiredService<CameraRegistry>());
        services.AddSingleton<EvidenceCollector>();
        services.AddHostedService(sp => sp.GetRequiredService<EvidenceCollector>());
        services.AddHostedService<ConfiguredCameras>();
        return services;
    }

    /// <summary>Registers the cameras listed in configuration at start-up; their grains keep the registration.</summary>
    private sealed class ConfiguredCameras(IGrainFactory grains, IOptions<CameraOptions> options) : IHostedService
    {
        public async Task StartAsync(CancellationToken cancellationToken)
        {
            foreach (var camera in options.Value.Register)
                await grains.GetGrain<ICameraGrain>(camera.Id).Register(camera.ToRegistration());
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }

    /// <summary>Streams, snapshots and alert evidence: for signed-in users only.</summary>
    public static void MapVideo(this IEndpointRouteBuilder app)
    {
        // Why a stream fails (refused, 404, …) tells about the network behind the camera: admins only.
        app.MapVideoRelay(mayReadErrors: user => user.IsInRole(Roles.Admin)).RequireAuthorization();
        // From the record database, so any node serves a snapshot whichever node took it.
        app.MapGet("/evidence/{alertId}/{cameraId}.jpg", async (string alertId, string cameraId, EvidenceCollector evidence, HttpContext http) =>
            PictureResults.Serve(http, await evidence.FindAsync(alertId, cameraId)))
            .RequireAuthorization();
    }
}
