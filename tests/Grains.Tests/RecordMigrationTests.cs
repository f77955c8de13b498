using CommandCenter.Grains.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommandCenter.Grains.Tests;

public sealed class RecordMigrationTests(PostgresServer postgres) : IClassFixture<PostgresServer>
{
    private static List<int> Versions(System.Data.Common.DbConnection connection)
    {
        using var command = connection.Command("SELECT version FROM schema_migrations ORDER BY version");
        using var reader = command.ExecuteReader();
        var versions = new List<int>();
        while (reader.Read()) versions.Add(Convert.ToInt32(reader.GetValue(0)));
        return versions;
    }

    [Fact]
    public async Task A_fresh_PostgreSQL_database_gets_every_migration_once_and_a_second_start_applies_none()
    {
        var connectionString = await postgres.CreateDatabase();
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();

        var first = RecordMigrations.Apply(connection, SqlDialect.PostgreSql, NullLogger.Instance);
        var second = RecordMigrations.Apply(connection, SqlDialect.PostgreSql, NullLogger.Instance);

        var all = SqlDialect.PostgreSql.Migrations.Select(m => m.Version).ToList();
        Assert.Equal(all, first);
        Assert.Empty(second);
        Assert.Equal(all, Versions(connection));
    }

    [Fact]
    public async Task Three_nodes_starting_together_on_one_PostgreSQL_database_do_not_fail()
    {
        var options = Options.Create(new StorageOptions { PostgreSql = await postgres.CreateDatabase() });
        var nodes = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ =>
            Task.Run(() => new PostgreSqlRecordDatabase(options, NullLogger<PostgreSqlRecordDatabase>.Instance))));
        foreach (var node in nodes) await node.DisposeAsync();

        await using var connection = new NpgsqlConnection(options.Value.PostgreSql);
        await connection.OpenAsync();
        Assert.Equal(SqlDialect.PostgreSql.Migrations.Select(m => m.Version), Versions(connection));
    }

    [Fact]
    public async Task A_SQLite_file_from_before_migrations_keeps_its_records_and_takes_the_migrations_as_applied()
    {
        var directory = Directory.CreateTempSubdirectory("records-test-").FullName;
        var path = Path.Combine(directory, "state.db");
        // The tables as the stores made them themselves, with a record in them and no schema_migrations.
        await using (var old = new SqliteConnection($"Data Source={path}"))
        {
            old.Open();
            // Versions 1-8 are what the stores made for themselves before there were migrations; later ones are new tables.
            foreach (var migration in SqliteMigrations.All.Where(m => m.Version <= 8)) old.Execute(migration.Sql);
            old.Execute("INSERT INTO incidents (id, state, opened_at, data) VALUES ('i1', 0, '2025-03-03T00:00:00Z', '{}')");
        }
        SqliteConnection.ClearAllPools();

        await using var store = new SqliteStore(Options.Create(new StorageOptions { DataDirectory = directory }), NullLogger<SqliteStore>.Instance);
        var (versions, incidents) = await store.ReadAsync(connection =>
        {
            using var count = connection.Command("SELECT COUNT(*) FROM incidents");
            return (Versions(connection), (long)count.ExecuteScalar()!);
        });
        Assert.Equal(SqliteMigrations.All.Select(m => m.Version), versions);
        Assert.Equal(1, incidents);
    }

    [Fact]
    public async Task With_PostgreSQL_set_the_SQLite_file_keeps_grain_state_only()
    {
        var directory = Directory.CreateTempSubdirectory("records-test-").FullName;
        await using var store = new SqliteStore(Options.Create(new StorageOptions { DataDirectory = directory, PostgreSql = "Host=127.0.0.1" }),
            NullLogger<SqliteStore>.Instance);
        var tables = await store.ReadAsync(connection =>
        {
            using var command = connection.Command("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name");
            using var reader = command.ExecuteReader();
            var names = new List<string>();
            while (reader.Read()) names.Add(reader.GetString(0));
            return names;
        });
        Assert.Equal(["grain_state"], tables);
    }
}
