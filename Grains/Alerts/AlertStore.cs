using System.Text.Json;
using CommandCenter.Grains.Storage;

namespace CommandCenter.Grains.Alerts;

public enum AlertFilter { Active, Unacknowledged, Acknowledged, Cleared, All }

/// <summary>The durable record of every alert, open and closed.</summary>
public sealed class AlertStore(IRecordDatabase store)
{
    public Task SaveAsync(Alert alert)
    {
        var data = JsonSerializer.Serialize(alert, SqliteGrainStorage.Json);
        return store.WriteAsync(connection =>
        {
            using var command = connection.Command("""
                INSERT INTO alerts (id, grain_key, state, first_at, last_at, data) VALUES (@id, @key, @state, @first, @last, @data)
                ON CONFLICT (id) DO UPDATE SET state = excluded.state, last_at = excluded.last_at, data = excluded.data
                """)
                .With("@id", alert.Id).With("@key", alert.Key.GrainKey).With("@state", (int)alert.State)
                .With("@first", alert.FirstAt.UtcDateTime.ToString("O")).With("@last", alert.LastAt.UtcDateTime.ToString("O"))
                .With("@data", data);
            command.ExecuteNonQuery();
        });
    }

    public async Task<Alert?> FindOpenAsync(AlertKey key) =>
        (await Query("SELECT data FROM alerts WHERE grain_key = @p AND state <> 2 ORDER BY first_at DESC LIMIT 1", key.GrainKey)).FirstOrDefault();

    public async Task<Alert?> FindAsync(string id) => (await Query("SELECT data FROM alerts WHERE id = @p", id)).FirstOrDefault();

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
        return await Query($"SELECT data FROM alerts WHERE {where} ORDER BY last_at DESC LIMIT @p", limit);
    }

    private Task<List<Alert>> Query(string sql, object parameter) => store.ReadAsync(connection =>
    {
        using var command = connection.Command(sql).With("@p", parameter);
        using var reader = command.ExecuteReader();
        var alerts = new List<Alert>();
        while (reader.Read()) alerts.Add(JsonSerializer.Deserialize<Alert>(reader.GetString(0), SqliteGrainStorage.Json)!);
        return alerts;
    });
}
