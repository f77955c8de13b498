using System.Text;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using StackExchange.Redis;

namespace CommandCenter.Web.Cluster;

/// <summary>
/// How grain state is laid out in Redis: one hash per grain (Orleans' "etag" and "data" fields), the data as the same
/// JSON the embedded database holds, under a key that starts with the service, the grain type and the state name,
/// so that every state of one grain type can be found with one SCAN pattern.
/// </summary>
public static class RedisGrainState
{
    /// <summary>"{service}/state/{grain type}/{state name}/{grain key}", e.g. "command-center/state/sensor/device/s-001".</summary>
    public static RedisKey Key(string serviceId, string stateName, GrainId grainId) =>
        $"{serviceId}/state/{grainId.Type}/{stateName}/{grainId.Key}";

    public static string Prefix(string serviceId, string grainType, string stateName) => $"{serviceId}/state/{grainType}/{stateName}/";

    /// <summary>A SCAN pattern matching every key that starts with <paramref name="prefix"/>, whatever characters the prefix holds.</summary>
    public static string PatternOf(string prefix)
    {
        var pattern = new StringBuilder(prefix.Length + 8);
        foreach (var c in prefix)
        {
            if (c is '*' or '?' or '[' or ']' or '\\') pattern.Append('\\');
            pattern.Append(c);
        }
        return pattern.Append('*').ToString();
    }
}

/// <summary>Grain state as System.Text.Json, exactly as <see cref="SqliteGrainStorage"/> writes it, so both providers read the same shapes.</summary>
public sealed class JsonGrainStateSerializer : IGrainStorageSerializer
{
    public BinaryData Serialize<T>(T? input) => BinaryData.FromObjectAsJson(input, SqliteGrainStorage.Json);

    public T Deserialize<T>(BinaryData input) => input.ToObjectFromJson<T>(SqliteGrainStorage.Json) ?? Activator.CreateInstance<T>();
}

/// <summary>Every stored state of a grain type in Redis, found by SCAN and read in batches, without waking a grain.</summary>
public sealed class RedisGrainStateScan(RedisConnection redis, IOptions<Orleans.Configuration.ClusterOptions> orleans, ILogger<RedisGrainStateScan> logger) : IGrainStateScan
{
    /// <summary>Keys fetched per round trip: large enough that a city's devices load in a few round trips.</summary>
    private const int Batch = 1000;

    public IEnumerable<(string Key, T State)> StatesOf<T>(string grainType, string stateName)
    {
        var prefix = RedisGrainState.Prefix(orleans.Value.ServiceId, grainType, stateName);
        var pattern = RedisGrainState.PatternOf(prefix);
        var database = redis.Database;
        // A replica or a second primary would hold the same keys: one primary is enough.
        var server = redis.Multiplexer.GetServers().First(server => !server.IsReplica);
        foreach (var keys in server.Keys(database.Database, pattern, Batch).Chunk(Batch))
        {
            var reads = keys.Select(key => database.HashGetAsync(key, "data")).ToArray();
            database.WaitAll(reads);
            for (var i = 0; i < keys.Length; i++)
            {
                if (reads[i].Result is not { IsNull: false } data) continue;
                T? state;
                try
                {
                    state = System.Text.Json.JsonSerializer.Deserialize<T>((string)data!, SqliteGrainStorage.Json);
                }
                catch (System.Text.Json.JsonException e)
                {
                    // One unreadable state must not keep the others off the board.
                    logger.LogWarning(e, "The stored state {Key} could not be read", (string?)keys[i]);
                    continue;
                }
                if (state is not null) yield return (((string)keys[i]!)[prefix.Length..], state);
            }
        }
    }
}
