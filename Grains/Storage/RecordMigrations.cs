using System.Data.Common;
using System.Globalization;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Grains.Storage;

/// <summary>
/// Brings a record database to the newest schema at start-up: one transaction that takes the dialect's lock, reads
/// which versions <c>schema_migrations</c> holds and applies the missing ones in order, so a crash half-way leaves
/// the schema as it was and nodes starting together apply each migration once.
/// </summary>
public static class RecordMigrations
{
    /// <summary>Returns the versions applied now (none when the database was up to date).</summary>
    public static IReadOnlyList<int> Apply(DbConnection connection, SqlDialect dialect, ILogger logger)
    {
        using var transaction = connection.BeginTransaction();
        if (dialect.MigrationLock is { } lockSql) connection.Execute(lockSql);
        connection.Execute("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version    INTEGER PRIMARY KEY,
                name       TEXT NOT NULL,
                applied_at TEXT NOT NULL)
            """);
        var done = new HashSet<int>();
        using (var command = connection.Command("SELECT version FROM schema_migrations"))
        using (var reader = command.ExecuteReader())
            while (reader.Read()) done.Add(Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture));
        var applied = new List<int>();
        foreach (var migration in dialect.Migrations.OrderBy(m => m.Version))
        {
            if (done.Contains(migration.Version)) continue;
            if (migration.Sql.Length > 0 && Needed(connection, migration)) connection.Execute(migration.Sql);
            using var record = connection.Command("INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @at)")
                .With("@version", migration.Version).With("@name", migration.Name)
                .With("@at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
            record.ExecuteNonQuery();
            applied.Add(migration.Version);
            logger.LogInformation("Applied {Dialect} migration {Version} {Name}", dialect, migration.Version, migration.Name);
        }
        transaction.Commit();
        return applied;
    }

    private static bool Needed(DbConnection connection, Migration migration)
    {
        if (migration.OnlyIf is not { } query) return true;
        using var command = connection.Command(query);
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture) != 0;
    }
}
