using System.Data.Common;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Storage;

/// <summary>
/// The embedded database of grain state and, unless <c>Storage:PostgreSql</c> is set, of the durable records. All
/// writes go through one writer that commits whatever is queued in a single transaction, so thousands of grains
/// saving at once cost a handful of fsyncs, and a caller's await ends only once its write is durable.
/// </summary>
public sealed class SqliteStore : IRecordDatabase, IAsyncDisposable
{
    private readonly string _connectionString;
    private readonly BatchedWriter _writer;
    private readonly BoundedReads _reads;

    public SqliteStore(IOptions<StorageOptions> options, ILogger<SqliteStore> logger)
    {
        var path = options.Value.StateDatabasePath;
        PrivateFiles.PrepareDatabase(path);
        _connectionString = new SqliteConnectionStringBuilder { DataSource = path, Pooling = true, DefaultTimeout = BusyTimeoutSeconds }.ToString();
        using (var connection = OpenRead())
        {
            Execute(connection, "PRAGMA journal_mode=WAL;");
            Execute(connection, Schema);
            // With PostgreSQL set the records live there; this file keeps grain state and the stores not moved yet.
            if (!options.Value.UsesPostgreSql) RecordMigrations.Apply(connection, SqlDialect.Sqlite, logger);
        }
        _reads = new BoundedReads(OpenRead);
        _writer = new BatchedWriter(() =>
        {
            var connection = OpenRead();
            // In WAL mode NORMAL loses nothing when the process dies, only on power loss; FULL would fsync every commit.
            Execute(connection, "PRAGMA synchronous=NORMAL;");
            return connection;
        }, options.Value.MaxWriteBatch, failureAbortsTransaction: false, logger);
    }

    /// <summary>Grain state belongs to the Orleans provider (<see cref="SqliteGrainStorage"/>), not to the record migrations.</summary>
    private const string Schema = """
        CREATE TABLE IF NOT EXISTS grain_state (
            grain_type TEXT NOT NULL,
            grain_key  TEXT NOT NULL,
            etag       INTEGER NOT NULL,
            data       TEXT NOT NULL,
            PRIMARY KEY (grain_type, grain_key)) WITHOUT ROWID;
        """;

    private const int BusyTimeoutSeconds = 5;

    public SqlDialect Dialect => SqlDialect.Sqlite;

    /// <summary>A pooled connection for reading; reads never wait for the writer in WAL mode.</summary>
    public SqliteConnection OpenRead()
    {
        var connection = new SqliteConnection(_connectionString);
        connection.Open();
        return connection;
    }

    /// <inheritdoc cref="IRecordDatabase.ReadAsync{T}"/>
    public Task<T> ReadAsync<T>(Func<SqliteConnection, T> read) => _reads.Run(read);

    /// <summary>Queues <paramref name="work"/> for the next transaction; completes once it is committed.</summary>
    public Task WriteAsync(Action<SqliteConnection> work) => _writer.Enqueue(connection => work((SqliteConnection)connection), nameof(SqliteStore));

    Task<T> IRecordDatabase.ReadAsync<T>(Func<DbConnection, T> read) => _reads.Run<T, DbConnection>(read);

    Task IRecordDatabase.WriteAsync(Action<DbConnection> work) => _writer.Enqueue(work, nameof(SqliteStore));

    public Task CheckAsync(CancellationToken cancellation = default) => _reads.Run<long, SqliteConnection>(connection =>
    {
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT COUNT(*) FROM sqlite_master";
        return (long)command.ExecuteScalar()!;
    });

    public static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        SqliteConnection.ClearAllPools();
    }
}
