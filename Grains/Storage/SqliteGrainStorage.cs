using System.Text.Json;
using Microsoft.Data.Sqlite;
using Orleans.Storage;

namespace CommandCenter.Grains.Storage;

/// <summary>Orleans grain storage in the embedded database, state as JSON with an etag per grain.</summary>
public sealed class SqliteGrainStorage(SqliteStore store) : IGrainStorage
{
    public static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        using var connection = store.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT etag, data FROM grain_state WHERE grain_type = $type AND grain_key = $key";
        command.Parameters.AddWithValue("$type", TypeOf(stateName, grainId));
        command.Parameters.AddWithValue("$key", grainId.Key.ToString());
        using var reader = command.ExecuteReader();
        if (reader.Read())
        {
            grainState.ETag = reader.GetInt64(0).ToString();
            grainState.State = JsonSerializer.Deserialize<T>(reader.GetString(1), Json) ?? Activator.CreateInstance<T>();
            grainState.RecordExists = true;
        }
        return Task.CompletedTask;
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

    /// <summary>Keys of every stored grain of a type, e.g. all sensors ever seen.</summary>
    public IReadOnlyList<string> KeysOf(string grainType, string stateName)
    {
        using var connection = store.OpenRead();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT grain_key FROM grain_state WHERE grain_type = $type";
        command.Parameters.AddWithValue("$type", $"{grainType}.{stateName}");
        using var reader = command.ExecuteReader();
        var keys = new List<string>();
        while (reader.Read()) keys.Add(reader.GetString(0));
        return keys;
    }

    private static string TypeOf(string stateName, GrainId grainId) => $"{grainId.Type}.{stateName}";
}
