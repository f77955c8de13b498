using Microsoft.Extensions.DependencyInjection;

namespace CommandCenter.Grains.Live;

public static class LiveFeedExtensions
{
    /// <summary>The same on one node and on many: grains publish to <see cref="LiveFeed"/>, every node's board takes every batch.</summary>
    public static IServiceCollection AddLiveFeed(this IServiceCollection services)
    {
        services.AddOptions<LiveFeedOptions>().BindConfiguration(LiveFeedOptions.Section)
            .Validate(o => o.IsValid(), $"{LiveFeedOptions.Section}: BatchInterval and RenewInterval must be positive, MaxPendingBatches at least 1")
            .ValidateOnStart();
        services.AddSingleton<LiveFeed>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveFeed>());
        services.AddSingleton<LiveFeedNode>();
        services.AddSingleton<ILifecycleParticipant<ISiloLifecycle>>(sp => sp.GetRequiredService<LiveFeedNode>());
        services.AddSingleton<BoardCatchUp>();
        services.AddHostedService(sp => sp.GetRequiredService<BoardCatchUp>());
        return services;
    }
}
