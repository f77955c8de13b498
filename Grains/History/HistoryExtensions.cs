using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.History;

public static class HistoryExtensions
{
    /// <summary>The history writer and the store History:Url chooses: the server when set, the embedded file when not.</summary>
    public static IServiceCollection AddHistory(this IServiceCollection services)
    {
        services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.Section)
            .Validate(o => o.IsValid(), $"{HistoryOptions.Section}: Url must be an http(s) URL when set; Database, RetentionDays, BatchSize, " +
                "FlushInterval, RetryBackoffInitial, MaxPoints and MaxRange must be positive; BufferCapacity at least BatchSize; RetryBackoffMax at least RetryBackoffInitial")
            .ValidateOnStart();
        services.AddSingleton<IHistoryStore>(sp => sp.GetRequiredService<IOptions<HistoryOptions>>().Value.UsesServer
            ? ActivatorUtilities.CreateInstance<InfluxHistoryStore>(sp)
            : ActivatorUtilities.CreateInstance<SqliteHistoryStore>(sp));
        services.AddSingleton<HistoryWriter>();
        services.AddHostedService(sp => sp.GetRequiredService<HistoryWriter>());
        return services;
    }
}
