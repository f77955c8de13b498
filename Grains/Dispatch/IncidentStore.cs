using System.Text.Json;
using CommandCenter.Grains.Storage;

namespace CommandCenter.Grains.Dispatch;

/// <summary>The durable record of every incident with its units and timeline, open and closed.</summary>
public sealed class IncidentStore(IRecordDatabase store)
{
    public Task SaveAsync(Incident incident)
    {
        var data = JsonSerializer.Serialize(incident, SqliteGrainStorage.Json);
        return store.WriteAsync(connection =>
        {
            using var command = connection.Command("""
                INSERT INTO incidents (id, state, opened_at, data) VALUES (@id, @state, @opened, @data)
                ON CONFLICT (id) DO UPDATE SET state = excluded.state, data = excluded.data
                """)
                .With("@id", incident.Id).With("@state", (int)incident.State)
                .With("@opened", incident.OpenedAt.UtcDateTime.ToString("O")).With("@data", data);
            command.ExecuteNonQuery();
        });
    }

    public async Task<Incident?> FindAsync(string id) => (await Query("SELECT data FROM incidents WHERE id = @p", id)).FirstOrDefault();

    /// <summary>Newest first; <paramref name="state"/> null lists every incident.</summary>
    public async Task<IReadOnlyList<Incident>> ListAsync(IncidentState? state, int limit) => state is { } only
        ? await Query("SELECT data FROM incidents WHERE state = @s ORDER BY opened_at DESC LIMIT @p", limit, (int)only)
        : await Query("SELECT data FROM incidents ORDER BY opened_at DESC LIMIT @p", limit);

    private Task<List<Incident>> Query(string sql, object parameter, int? state = null) => store.ReadAsync(connection =>
    {
        using var command = connection.Command(sql).With("@p", parameter);
        if (state is { } s) command.With("@s", s);
        using var reader = command.ExecuteReader();
        var incidents = new List<Incident>();
        while (reader.Read()) incidents.Add(JsonSerializer.Deserialize<Incident>(reader.GetString(0), SqliteGrainStorage.Json)!);
        return incidents;
    });
}
