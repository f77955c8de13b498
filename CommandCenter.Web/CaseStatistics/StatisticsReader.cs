using CommandCenter.Grains.Cases.Statistics;
using CommandCenter.Grains.Storage;

namespace CommandCenter.Web.CaseStatistics;

/// <summary>
/// Answers statistics from the case store's database. The statistics indexes are added through the store's one writer
/// before the first query (on a million cases that takes a few seconds, once; later starts find them).
/// </summary>
public sealed class StatisticsReader(SqliteStore store)
{
    private readonly Lazy<Task> _indexed = new(() => store.WriteAsync(connection => SqliteStore.Execute(connection, StatisticsQuery.Schema)));

    public async Task<StatisticsReport> ComputeAsync(StatisticsPeriod period, StatisticsGrouping by)
    {
        await _indexed.Value;
        return await store.ReadAsync(connection => StatisticsQuery.Compute(connection, period.From, period.To, by));
    }
}
