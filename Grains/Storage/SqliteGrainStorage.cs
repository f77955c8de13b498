using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace CommandCenter.Grains.Storage;

/// <summary>Orleans grain storage in the embedded database, state as JSON with an etag per grain.</summary>
public sealed class SqliteGrainStorage(SqliteStore store, GrainStateReads reads) : IGrainStorage, IGrainStateScan
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        // Awaited off the grain's thread: the grain resumes on its own scheduler once the reader has the row.
        if (await reads.ReadAsync(TypeOf(stateName, grainId), grainId.Key.ToString()!) is not { } stored) return;
        grainState.ETag = stored.ETag.ToString();
        grainState.State = JsonSerializer.Deserialize<T>(stored.Data, Json) ?? Activator.CreateInstance<T>();
        grainState.RecordExists = true;
    }

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var etag = grainState.ETag is null ? 0 : long.Parse(grainState.ETag);
        var data = JsonSerializer.Serialize(grainState.State, Json);
        var type = TypeOf(stateName, grainId);
        var key = grainId.Key.ToString()!;
        await store.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = """
                INSERT INTO grain_state (grain_type, grain_key, etag, data) VALUES ($type, $key, $next, $data)
                ON CONFLICT (grain_type, grain_key) DO UPDATE SET etag = $next, data = $data WHERE etag = $etag
                """;
            command.Parameters.AddWithValue("$type", type);
            command.Parameters.AddWithValue("$key", key);
            command.Parameters.AddWithValue("$etag", etag);
            command.Parameters.AddWithValue("$next", etag + 1);
            command.Parameters.AddWithValue("$data", data);
            if (command.ExecuteNonQuery() == 0)
                throw new InconsistentStateException($"State of {grainId} was changed by someone else", "", etag.ToString());
        });
        grainState.ETag = (etag + 1).ToString();
        grainState.RecordExists = true;
    }

    public async Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        var type = TypeOf(stateName, grainId);
        var key = grainId.Key.ToString()!;
        await store.WriteAsync(connection =>
        {
            using var command = connection.CreateCommand();
            command.CommandText = "DELETE FROM grain_state WHERE grain_type = $type AND grain_key = $key";
            command.Parameters.AddWithValue("$type", type);
            command.Parameters.AddWithValue("$key", key);
            command.ExecuteNonQuery();
        });
        grainState.ETag = null;
        grainState.RecordExists = false;
    }

    /// <summary>Every stored state of a grain type with its key, read in one query, e.g. all sensors ever seen.</summary>
    public IEnumerable<(string Key, T State)> StatesOf<T>(string grainType, string stateName)
    {
        using var connection = store.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_key, data FROM grain_state WHERE grain_type = $type";
        command.Parameters.AddWithValue("$type", $"{grainType}.{stateName}");
        using var reader = command.ExecuteReader();
        while (reader.Read())
            if (JsonSerializer.Deserialize<T>(reader.GetString(1), Json) is { } state)
                yield return (reader.GetString(0), state);
    }

    private static string TypeOf(string stateName, GrainId grainId) => $"{grainId.Type}.{stateName}";
}
