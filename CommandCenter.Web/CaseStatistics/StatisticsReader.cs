using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Cases.Statistics;
using CommandCenter.Grains.Storage;

namespace CommandCenter.Web.CaseStatistics;

/// <summary>
/// Answers statistics from the case store's database. The statistics indexes are added through the store's one writer
/// before the first query (on a million cases that takes a few seconds, once; later starts find them).
/// </summary>
public sealed class StatisticsReader
{
    private readonly SqliteStore _store;
    private readonly Lazy<Task> _indexed;

    /// <param name="cases">Taken so that the case store has made the <c>cases</c> table before the indexes go on it.</param>
    public StatisticsReader(SqliteStore store, CaseStore cases)
    {
        ArgumentNullException.ThrowIfNull(cases);
        _store = store;
        _indexed = new(() => store.WriteAsync(connection => SqliteStore.Execute(connection, StatisticsQuery.Schema)));
    }

    public async Task<StatisticsReport> ComputeAsync(StatisticsPeriod period, StatisticsGrouping by)
    {
        await _indexed.Value;
        return await _store.ReadAsync(connection => StatisticsQuery.Compute(connection, period.From, period.To, by));
    }
}
