using System.Text.Json;
using CommandCenter.Grains.Storage;
using Microsoft.Data.Sqlite;

namespace CommandCenter.Grains.Alerts;

public enum AlertFilter { Active, Unacknowledged, Acknowledged, Cleared, All }

/// <summary>The durable record of every alert, open and closed.</summary>
public sealed class AlertStore(SqliteStore store)
{
    public Task SaveAsync(Alert alert)
    {
        var data = JsonSerializer.Serialize(alert, SqliteGrainStorage.Json);
        return store.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO alerts (id, grain_key, state, first_at, last_at, data) VALUES ($id, $key, $state, $first, $last, $data)
                ON CONFLICT (id) DO UPDATE SET state = $state, last_at = $last, data = $data
                """;
            command.Parameters.AddWithValue("$id", alert.Id);
            command.Parameters.AddWithValue("$key", alert.Key.GrainKey);
            command.Parameters.AddWithValue("$state", (int)alert.State);
            command.Parameters.AddWithValue("$first", alert.FirstAt.UtcDateTime.ToString("O"));
            command.Parameters.AddWithValue("$last", alert.LastAt.UtcDateTime.ToString("O"));
            command.Parameters.AddWithValue("$data", data);
            command.ExecuteNonQuery();
        });
    }

    public async Task<Alert?> FindOpenAsync(AlertKey key) =>
        (await Query("SELECT data FROM alerts WHERE grain_key = $p AND state <> 2 ORDER BY first_at DESC LIMIT 1", key.GrainKey)).FirstOrDefault();

    public async Task<Alert?> FindAsync(string id) => (await Query("SELECT data FROM alerts WHERE id = $p", id)).FirstOrDefault();

    public async Task<IReadOnlyList<Alert>> ListAsync(AlertFilter filter, int limit)
    {
        var where = filter switch
        {
            AlertFilter.Active => "state <> 2",
            AlertFilter.Unacknowledged => "state = 0",
            AlertFilter.Acknowledged => "state = 1",
            AlertFilter.Cleared => "state = 2",
            _ => "1 = 1",
        };
        return await Query($"SELECT data FROM alerts WHERE {where} ORDER BY last_at DESC LIMIT $p", limit);
    }

    private Task<List<Alert>> Query(string sql, object parameter) => store.ReadAsync(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.Parameters.AddWithValue("$p", parameter);
        using var reader = command.ExecuteReader();
        var alerts = new List<Alert>();
        while (reader.Read()) alerts.Add(JsonSerializer.Deserialize<Alert>(reader.GetString(0), SqliteGrainStorage.Json)!);
        return alerts;
    });
}
