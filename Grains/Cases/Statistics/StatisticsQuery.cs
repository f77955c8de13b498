using System.Globalization;
using System.Data.Common;
using CommandCenter.Grains.Storage;

namespace CommandCenter.Grains.Cases.Statistics;

/// <summary>What a statistics table is grouped by.</summary>
public enum StatisticsGrouping { Department, Category, Source, Grid }

/// <summary>The figures of one group of cases (or of all of them), with the evaluation's rates.</summary>
/// <param name="Key">The department, category, source or grid cell code; null for the total.</param>
/// <param name="Reported">Cases reported in the period.</param>
/// <param name="Cancelled">Of those, cancelled as invalid when filed.</param>
/// <param name="Handled">Of those, handled at least once (the department reported back).</param>
/// <param name="Reworked">Of the handled, returned by a failed verification at least once.</param>
/// <param name="Closed">Of those, closed.</param>
/// <param name="ClosedOnTime">Of the closed, closed with no step overdue.</param>
/// <param name="Overdue">Cases flagged overdue (any step past its deadline).</param>
/// <param name="OnTimeRate">ClosedOnTime ÷ Closed; null with nothing closed.</param>
/// <param name="ReworkRate">Reworked ÷ Handled; null with nothing handled.</param>
/// <param name="AverageHandlingHours">Mean of dispatched → handled, in hours.</param>
/// <param name="AverageCloseHours">Mean of reported → closed, in hours.</param>
public sealed record StatisticsRow(string? Key, long Reported, long Cancelled, long Handled, long Reworked, long Closed, long ClosedOnTime, long Overdue,
    double? OnTimeRate, double? ReworkRate, double? AverageHandlingHours, double? AverageCloseHours);

/// <summary>The evaluation over a period: the totals and one row per group, largest first.</summary>
public sealed record StatisticsReport(DateTimeOffset From, DateTimeOffset To, StatisticsGrouping By, StatisticsRow Total, IReadOnlyList<StatisticsRow> Rows);

/// <summary>
/// The evaluation (综合评价) of cases over a period, straight from the <c>cases</c> table. A case counts in the period it
/// was reported in, so a period's figures do not change as later periods go by except as its own cases move on. One
/// covering index per grouping (the group, the time, then every column the figures read) lets SQLite answer from the
/// index alone, without touching the table's rows (whose JSON makes them ten times wider). The indexes are the
/// records' migration 3; the planner's statistics of them are refreshed once per start (<see cref="SqlDialect.RefreshStatistics"/>).
/// </summary>
public static class StatisticsQuery
{
    public static string Column(StatisticsGrouping by) => by switch
    {
        StatisticsGrouping.Department => "department",
        StatisticsGrouping.Category => "category",
        StatisticsGrouping.Source => "source",
        StatisticsGrouping.Grid => "grid",
        _ => throw new ArgumentOutOfRangeException(nameof(by)),
    };

    public static bool TryParseGrouping(string? text, out StatisticsGrouping by)
    {
        by = StatisticsGrouping.Department;
        if (text is null) return true;
        foreach (var g in Enum.GetValues<StatisticsGrouping>())
            if (string.Equals(Column(g), text, StringComparison.OrdinalIgnoreCase)) { by = g; return true; }
        return false;
    }

    /// <summary>The figures of the cases reported in [<paramref name="from"/>, <paramref name="to"/>), grouped.</summary>
    public static StatisticsReport Compute(DbConnection connection, SqlDialect dialect, DateTimeOffset from, DateTimeOffset to, StatisticsGrouping by)
    {
        var column = Column(by);
        // The SQLite hint (INDEXED BY): its planner might otherwise take an index on reported_at alone and read every row
        // of the period. Counts are COUNT(CASE …) rather than SUM of a comparison, which PostgreSQL's booleans refuse.
        using var command = connection.Command($"""
            SELECT {column},
                   COUNT(*),
                   COUNT(CASE WHEN state = @cancelled THEN 1 END),
                   COUNT(handled_at),
                   COUNT(CASE WHEN handled_at IS NOT NULL AND rework_count > 0 THEN 1 END),
                   COUNT(closed_at),
                   COUNT(CASE WHEN closed_at IS NOT NULL AND on_time = 1 THEN 1 END),
                   COUNT(CASE WHEN overdue = 1 THEN 1 END),
                   SUM(CASE WHEN handled_at IS NOT NULL AND dispatched_at IS NOT NULL THEN handled_at - dispatched_at END),
                   COUNT(CASE WHEN handled_at IS NOT NULL AND dispatched_at IS NOT NULL THEN 1 END),
                   SUM(CASE WHEN closed_at IS NOT NULL THEN closed_at - reported_at END)
            FROM cases {dialect.IndexHint($"cases_stats_by_{column}")}
            WHERE reported_at >= @from AND reported_at < @to
            GROUP BY {column}
            """)
            .With("@from", from.ToUnixTimeMilliseconds()).With("@to", to.ToUnixTimeMilliseconds()).With("@cancelled", CancelledState);
        var sums = new List<Sums>();
        using (var reader = command.ExecuteReader())
            while (reader.Read())
                sums.Add(new Sums(reader.IsDBNull(0) ? null : Convert.ToString(reader.GetValue(0), CultureInfo.InvariantCulture),
                    Long(reader, 1), Long(reader, 2), Long(reader, 3), Long(reader, 4), Long(reader, 5), Long(reader, 6), Long(reader, 7),
                    Long(reader, 8), Long(reader, 9), Long(reader, 10)));
        var total = sums.Aggregate(new Sums(null, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0), (a, b) => a + b);
        return new StatisticsReport(from, to, by, total.Row(),
            [.. sums.Select(s => s.Row()).OrderByDescending(r => r.Reported).ThenBy(r => r.Key, StringComparer.Ordinal)]);
    }

    /// <summary>How the store writes a cancelled case's state (its name, as the API spells it).</summary>
    public const string CancelledState = "Cancelled";

    /// <summary>PostgreSQL sums BIGINTs into NUMERIC, SQLite into INTEGER; NULL is a sum over no rows.</summary>
    private static long Long(DbDataReader reader, int column) =>
        reader.IsDBNull(column) ? 0 : Convert.ToInt64(reader.GetValue(column), CultureInfo.InvariantCulture);

    private sealed record Sums(string? Key, long Reported, long Cancelled, long Handled, long Reworked, long Closed, long ClosedOnTime, long Overdue,
        long HandlingMs, long HandlingCount, long CloseMs)
    {
        public static Sums operator +(Sums a, Sums b) => new(null, a.Reported + b.Reported, a.Cancelled + b.Cancelled, a.Handled + b.Handled,
            a.Reworked + b.Reworked, a.Closed + b.Closed, a.ClosedOnTime + b.ClosedOnTime, a.Overdue + b.Overdue,
            a.HandlingMs + b.HandlingMs, a.HandlingCount + b.HandlingCount, a.CloseMs + b.CloseMs);

        public StatisticsRow Row() => new(Key, Reported, Cancelled, Handled, Reworked, Closed, ClosedOnTime, Overdue,
            Ratio(ClosedOnTime, Closed), Ratio(Reworked, Handled), Hours(HandlingMs, HandlingCount), Hours(CloseMs, Closed));

        private static double? Ratio(long part, long whole) => whole == 0 ? null : (double)part / whole;
        private static double? Hours(long ms, long count) => count == 0 ? null : ms / (double)count / 3_600_000;
    }
}
