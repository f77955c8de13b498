using System.Globalization;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Microsoft.Data.Sqlite;

namespace CommandCenter.Grains.Storage;

/// <summary>
/// Orleans reminders in the embedded SQLite store, so that a reminder outlives the process (Orleans' own in-memory
/// table would forget it on a restart). A cluster keeps them in Redis instead. Each write is one statement, so two
/// processes sharing the file never interleave a read and a write.
/// </summary>
public sealed class SqliteReminderTable(SqliteStore store) : IReminderTable
{
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS reminders (
            grain_id   TEXT NOT NULL,
            name       TEXT NOT NULL,
            grain_hash INTEGER NOT NULL,
            start_at   TEXT NOT NULL,
            period     INTEGER NOT NULL,
            etag       TEXT NOT NULL,
            PRIMARY KEY (grain_id, name)) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS reminders_by_hash ON reminders (grain_hash);
        """;

    private const string Columns = "grain_id, name, start_at, period, etag";

    public Task Init() => store.WriteAsync(connection => SqliteStore.Execute(connection, Schema));

    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        Read($"SELECT {Columns} FROM reminders WHERE grain_id = $grain", command => command.Parameters.AddWithValue("$grain", grainId.ToString()));

    /// <summary>Reminders of grains whose hash lies in (begin, end], the ring range one silo serves; begin ≥ end wraps around.</summary>
    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        Read(begin < end
                ? $"SELECT {Columns} FROM reminders WHERE grain_hash > $begin AND grain_hash <= $end"
                : $"SELECT {Columns} FROM reminders WHERE grain_hash > $begin OR grain_hash <= $end",
            command =>
            {
                command.Parameters.AddWithValue("$begin", (long)begin);
                command.Parameters.AddWithValue("$end", (long)end);
            });

    public async Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        (await Read($"SELECT {Columns} FROM reminders WHERE grain_id = $grain AND name = $name", command =>
        {
            command.Parameters.AddWithValue("$grain", grainId.ToString());
            command.Parameters.AddWithValue("$name", reminderName);
        })).Reminders.FirstOrDefault();

    public async Task<string> UpsertRow(ReminderEntry entry)
    {
        var etag = Guid.NewGuid().ToString("N");
        await store.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO reminders (grain_id, name, grain_hash, start_at, period, etag) VALUES ($grain, $name, $hash, $start, $period, $etag)
                ON CONFLICT (grain_id, name) DO UPDATE SET start_at = excluded.start_at, period = excluded.period, etag = excluded.etag
                """;
            command.Parameters.AddWithValue("$grain", entry.GrainId.ToString());
            command.Parameters.AddWithValue("$name", entry.ReminderName);
            command.Parameters.AddWithValue("$hash", (long)entry.GrainId.GetUniformHashCode());
            command.Parameters.AddWithValue("$start", entry.StartAt.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture));
            command.Parameters.AddWithValue("$period", entry.Period.Ticks);
            command.Parameters.AddWithValue("$etag", etag);
            command.ExecuteNonQuery();
        });
        return etag;
    }

    public async Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        var removed = false;
        await store.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM reminders WHERE grain_id = $grain AND name = $name AND etag = $etag";
            command.Parameters.AddWithValue("$grain", grainId.ToString());
            command.Parameters.AddWithValue("$name", reminderName);
            command.Parameters.AddWithValue("$etag", eTag);
            removed = command.ExecuteNonQuery() > 0;
        });
        return removed;
    }

    public Task TestOnlyClearTable() => store.WriteAsync(connection => SqliteStore.Execute(connection, "DELETE FROM reminders"));

    private Task<ReminderTableData> Read(string sql, Action<SqliteCommand> bind) => store.ReadAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        bind(command);
        using var reader = command.ExecuteReader();
        var entries = new List<ReminderEntry>();
        while (reader.Read())
            entries.Add(new ReminderEntry
            {
                GrainId = GrainId.Parse(reader.GetString(0)),
                ReminderName = reader.GetString(1),
                StartAt = DateTime.Parse(reader.GetString(2), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind),
                Period = TimeSpan.FromTicks(reader.GetInt64(3)),
                ETag = reader.GetString(4),
            });
        return new ReminderTableData(entries);
    });
}

public static class SqliteReminderExtensions
{
    public static ISiloBuilder UseSqliteReminders(this ISiloBuilder silo)
    {
        silo.AddReminders();
        silo.Services.AddSingleton<IReminderTable, SqliteReminderTable>();
        return silo;
    }
}
