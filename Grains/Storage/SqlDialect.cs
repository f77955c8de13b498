namespace CommandCenter.Grains.Storage;

/// <summary>
/// One numbered step of a record database's schema; applied once, in order, recorded in <c>schema_migrations</c>.
/// <paramref name="OnlyIf"/>, when given, is a query whose non-zero answer is needed for <paramref name="Sql"/> to run:
/// SQLite cannot write <c>ADD COLUMN IF NOT EXISTS</c>, and files from before migrations may already have the column.
/// An empty <paramref name="Sql"/> keeps a dialect's numbering in step with the other's where it has nothing to do.
/// </summary>
public sealed record Migration(int Version, string Name, string Sql, string? OnlyIf = null);

/// <summary>
/// Everything in the records' SQL that differs between SQLite and PostgreSQL, in one place: the schema (its
/// migrations), the lock that keeps nodes starting together from migrating at once, the planner hint of the
/// statistics, and how the planner's statistics are refreshed. The stores' statements are otherwise the same text
/// (<c>@name</c> parameters, <c>ON CONFLICT … DO UPDATE</c>, <c>RETURNING</c>, integer Unix milliseconds for case times).
/// </summary>
public sealed class SqlDialect
{
    public static readonly SqlDialect Sqlite = new()
    {
        Name = "sqlite",
        Migrations = SqliteMigrations.All,
        MigrationLock = null,
        IndexHint = index => $"INDEXED BY {index}",
        // Sampled, so quick on a million rows; lets SQLite skip-scan the statistics indexes (see StatisticsQuery).
        RefreshStatistics = "PRAGMA analysis_limit = 1000;\n" + string.Join('\n',
            Enum.GetValues<Cases.Statistics.StatisticsGrouping>().Select(g => $"ANALYZE cases_stats_by_{Cases.Statistics.StatisticsQuery.Column(g)};")),
        // GLOB is case-sensitive and seeks an index on its literal prefix, as LIKE does not in SQLite.
        Glob = (column, parameter) => $"{column} GLOB {parameter}",
        GlobPattern = glob => glob,
    };

    public static readonly SqlDialect PostgreSql = new()
    {
        Name = "postgresql",
        Migrations = PostgreSqlMigrations.All,
        // Held until the migrating transaction ends: a second node starting at the same moment waits, then finds
        // every migration applied. The number is arbitrary, the same on every node.
        MigrationLock = "SELECT pg_advisory_xact_lock(20120412)",
        // PostgreSQL has no hints; its planner picks the covering index from fresh statistics.
        IndexHint = _ => "",
        RefreshStatistics = "ANALYZE cases;",
        Glob = (column, parameter) => $"{column} LIKE {parameter}",
        // PostgreSQL has no GLOB: * and ? become LIKE's % and _, and LIKE's own wildcards are escaped (with LIKE's default \).
        GlobPattern = glob => string.Concat(glob.Select(c => c switch
        {
            '*' => "%",
            '?' => "_",
            '%' or '_' or '\\' => "\\" + c,
            _ => c.ToString(),
        })),
    };

    public required string Name { get; init; }
    public required IReadOnlyList<Migration> Migrations { get; init; }
    /// <summary>Run first in the migrating transaction; SQLite's BEGIN IMMEDIATE already keeps a second writer out.</summary>
    public string? MigrationLock { get; init; }
    /// <summary>The clause after <c>FROM table</c> that makes the planner use <c>index</c>, where the dialect has one.</summary>
    public required Func<string, string> IndexHint { get; init; }
    public required string RefreshStatistics { get; init; }
    /// <summary>The condition "<c>column</c> matches the glob pattern bound to <c>parameter</c>" (<c>*</c> any run, <c>?</c> one character).</summary>
    public required Func<string, string, string> Glob { get; init; }
    /// <summary>The value to bind for a glob pattern in <see cref="Glob"/>.</summary>
    public required Func<string, string> GlobPattern { get; init; }

    public override string ToString() => Name;
}
