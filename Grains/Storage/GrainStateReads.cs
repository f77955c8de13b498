using System.Text.Json;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Storage;

/// <summary>One grain's stored state as it is in the table: its etag and its JSON.</summary>
public readonly record struct StoredState(long ETag, string Data);

/// <summary>
/// Reads grain state for activating grains off their threads. Grains waking at once (a fleet reporting after a
/// restart, a district read for its alerts) queue their reads here; one reader takes whatever is queued and asks for
/// all of it in one query per grain type, so a thousand activations cost a few queries instead of a thousand, and no
/// grain thread ever waits on the disk.
/// </summary>
public sealed class GrainStateReads : IAsyncDisposable
{
    private sealed record Read(string Type, string Key, TaskCompletionSource<StoredState?> Done);

    private readonly Channel<Read> _queue = Channel.CreateUnbounded<Read>(new() { SingleReader = true });
    private readonly SqliteStore _store;
    private readonly int _maxBatch;
    private readonly ILogger<GrainStateReads> _logger;
    private readonly Task _reader;

    public GrainStateReads(SqliteStore store, IOptions<StorageOptions> options, ILogger<GrainStateReads> logger)
    {
        _store = store;
        _maxBatch = options.Value.MaxReadBatch;
        _logger = logger;
        _reader = Task.Factory.StartNew(ReadLoop, TaskCreationOptions.LongRunning).Unwrap();
    }

    /// <summary>The stored state of one grain, or null when it has none; completes on the reader, never on the caller's thread.</summary>
    public Task<StoredState?> ReadAsync(string grainType, string grainKey)
    {
        var done = new TaskCompletionSource<StoredState?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Read(grainType, grainKey, done)))
            done.SetException(new ObjectDisposedException(nameof(GrainStateReads)));
        return done.Task;
    }

    private async Task ReadLoop()
    {
        var batch = new List<Read>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var read)) batch.Add(read);
            foreach (var sameType in batch.GroupBy(read => read.Type, StringComparer.Ordinal))
                ReadBatch(sameType.Key, [.. sameType]);
        }
    }

    private void ReadBatch(string grainType, IReadOnlyList<Read> reads)
    {
        try
        {
            using var connection = _store.OpenRead();
            using var command = connection.CreateCommand();
            // The keys travel as one JSON array: one statement whatever the batch size, and SQLite's limit on
            // parameters never applies.
            command.CommandText = """
                SELECT grain_key, etag, data FROM grain_state
                WHERE grain_type = $type AND grain_key IN (SELECT value FROM json_each($keys))
                """;
            command.Parameters.AddWithValue("$type", grainType);
            command.Parameters.AddWithValue("$keys", JsonSerializer.Serialize(reads.Select(read => read.Key).Distinct()));
            var found = new Dictionary<string, StoredState>(reads.Count, StringComparer.Ordinal);
            using (var reader = command.ExecuteReader())
                while (reader.Read())
                    found[reader.GetString(0)] = new StoredState(reader.GetInt64(1), reader.GetString(2));
            foreach (var read in reads)
                read.Done.TrySetResult(found.TryGetValue(read.Key, out var state) ? state : null);
        }
        catch (Exception e)
        {
            // The activations fail and are retried by their callers; the reader goes on with the next batch.
            _logger.LogError(e, "Reading the state of {Count} {Type} grains failed", reads.Count, grainType);
            foreach (var read in reads) read.Done.TrySetException(e);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _reader;
    }
}
