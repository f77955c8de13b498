using CommandCenter.VideoRelay.Streams;

namespace CommandCenter.Web.Video.Cluster;

public static class VideoClusterExtensions
{
    /// <summary>One relay per camera across the cluster: relay-owner grains decide, the other nodes proxy.</summary>
    public static IServiceCollection AddVideoCluster(this IServiceCollection services)
    {
        services.AddSingleton<LocalRelayNode>();
        services.AddSingleton<HeldLeases>();
        services.AddSingleton<RelayLeases>();
        services.AddHostedService(sp => sp.GetRequiredService<RelayLeases>());
        services.AddSingleton<IStreamPlacement, GrainStreamPlacement>();
        return services;
    }
}
