using CommandCenter.Grains.Cases.Statistics;
using CommandCenter.Grains.Storage;

namespace CommandCenter.Web.CaseStatistics;

/// <summary>
/// Answers statistics from the records' database. Its migrations made the statistics indexes; the planner's statistics
/// of them are refreshed through the one writer before the first query of each start (sampled, so quick on a million cases).
/// </summary>
public sealed class StatisticsReader
{
    private readonly IRecordDatabase _store;
    private readonly Lazy<Task> _analysed;

    public StatisticsReader(IRecordDatabase store)
    {
        _store = store;
        _analysed = new(() => store.WriteAsync(connection => connection.Execute(store.Dialect.RefreshStatistics)));
    }

    public async Task<StatisticsReport> ComputeAsync(StatisticsPeriod period, StatisticsGrouping by)
    {
        await _analysed.Value;
        return await _store.ReadAsync(connection => StatisticsQuery.Compute(connection, _store.Dialect, period.From, period.To, by));
    }
}
