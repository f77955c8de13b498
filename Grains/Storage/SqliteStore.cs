using System.Threading.Channels;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Storage;

/// <summary>
/// The embedded database of grain state and durable records. All writes go through one
/// writer that commits whatever is queued in a single transaction, so thousands of grains
/// saving at once cost a handful of fsyncs, and a caller's await ends only once its write is durable.
/// </summary>
public sealed class SqliteStore : IAsyncDisposable
{
    private sealed record Write(Action<SqliteConnection> Work, TaskCompletionSource Done);

    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new() { SingleReader = true });
    private readonly string _connectionString;
    private readonly int _maxBatch;
    private readonly ILogger<SqliteStore> _logger;
    private readonly Task _writer;

    public SqliteStore(IOptions<StorageOptions> options, ILogger<SqliteStore> logger)
    {
        _logger = logger;
        _maxBatch = options.Value.MaxWriteBatch;
        var path = options.Value.StateDatabasePath;
        PrivateFiles.PrepareDatabase(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = BusyTimeoutSeconds }.ToString();
        using (var connection = OpenRead())
        {
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, Schema);
        }
        _writer = Task.Factory.StartNew(WriteLoop, TaskCreationOptions.LongRunning).Unwrap();
    }

    private const string Schema = """
        CREATE TABLE IF NOT EXISTS grain_state (
            grain_type TEXT NOT NULL,
            grain_key  TEXT NOT NULL,
            etag       INTEGER NOT NULL,
            data       TEXT NOT NULL,
            PRIMARY KEY (grain_type, grain_key)) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS alerts (
            id         TEXT PRIMARY KEY,
            grain_key  TEXT NOT NULL,
            state      INTEGER NOT NULL,
            first_at   TEXT NOT NULL,
            last_at    TEXT NOT NULL,
            data       TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS alerts_open ON alerts (grain_key) WHERE state <> 2;
        CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts (last_at);
        CREATE TABLE IF NOT EXISTS incidents (
            id         TEXT PRIMARY KEY,
            state      INTEGER NOT NULL,
            opened_at  TEXT NOT NULL,
            data       TEXT NOT NULL);
        CREATE INDEX IF NOT EXISTS incidents_by_state ON incidents (state, opened_at);
        """;

    private const int BusyTimeoutSeconds = 5;

    /// <summary>A pooled connection for reading; reads never wait for the writer in WAL mode.</summary>
    public SqliteConnection OpenRead()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <summary>
    /// Runs <paramref name="read"/> on a pooled connection on the thread pool, never on the caller's thread:
    /// Microsoft.Data.Sqlite's async methods run synchronously, and a grain's thread blocked on the disk stalls every
    /// grain scheduled behind it. At most <see cref="MaxConcurrentReads"/> reads run at once; the rest wait without a thread.
    /// </summary>
    public async Task<T> ReadAsync<T>(Func<SqliteConnection, T> read)
    {
        await _readers.WaitAsync().ConfigureAwait(false);
        try
        {
            return await Task.Factory.StartNew(() =>
            {
                using var connection = OpenRead();
                return read(connection);
            }, CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            _readers.Release();
        }
    }

    /// <summary>Enough to keep the disk and the cores busy, few enough that a burst of reads cannot take every pool thread.</summary>
    private static readonly int MaxConcurrentReads = Math.Max(2, Environment.ProcessorCount);
    private readonly SemaphoreSlim _readers = new(MaxConcurrentReads);

    /// <summary>Queues <paramref name="work"/> for the next transaction; completes once it is committed.</summary>
    public Task WriteAsync(Action<SqliteConnection> work)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Write(work, done)))
            done.SetException(new ObjectDisposedException(nameof(SqliteStore)));
        return done.Task;
    }

    private async Task WriteLoop()
    {
        using var connection = OpenRead();
        // In WAL mode NORMAL loses nothing when the process dies, only on power loss; FULL would fsync every commit.
        Execute(connection, "PRAGMA synchronous=NORMAL;");
        var batch = new List<Write>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var write)) batch.Add(write);
            var failed = new bool[batch.Count];
            try
            {
                using var transaction = connection.BeginTransaction();
                for (var i = 0; i < batch.Count; i++)
                {
                    try { batch[i].Work(connection); }
                    catch (Exception e) { failed[i] = true; batch[i].Done.TrySetException(e); }
                }
                transaction.Commit();
                for (var i = 0; i < batch.Count; i++)
                    if (!failed[i]) batch[i].Done.TrySetResult();
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Committing {Count} writes failed", batch.Count);
                foreach (var write in batch) write.Done.TrySetException(e);
            }
        }
    }

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _writer;
        SqliteConnection.ClearAllPools();
    }
}
