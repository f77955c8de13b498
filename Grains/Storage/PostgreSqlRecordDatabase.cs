using System.Data.Common;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Npgsql;

namespace CommandCenter.Grains.Storage;

/// <summary>
/// The durable records in PostgreSQL (<c>Storage:PostgreSql</c>), shared by every node of a cluster. Writes are batched
/// into one transaction by one writer per node, as in SQLite, so a caller's await ends once its write is committed;
/// the schema is migrated at start-up under an advisory lock so nodes starting together do not race.
/// </summary>
public sealed class PostgreSqlRecordDatabase : IRecordDatabase, IAsyncDisposable
{
    private readonly NpgsqlDataSource _source;
    private readonly BatchedWriter _writer;
    private readonly BoundedReads _reads;

    public PostgreSqlRecordDatabase(IOptions<StorageOptions> options, ILogger<PostgreSqlRecordDatabase> logger)
    {
        _source = NpgsqlDataSource.Create(options.Value.PostgreSql);
        using (var connection = _source.OpenConnection())
            RecordMigrations.Apply(connection, SqlDialect.PostgreSql, logger);
        _reads = new BoundedReads(() => _source.OpenConnection());
        // Npgsql's sync calls block the writer's own long-running thread only, as Microsoft.Data.Sqlite's do.
        _writer = new BatchedWriter(() => _source.OpenConnection(), options.Value.MaxWriteBatch, failureAbortsTransaction: true, logger);
    }

    public SqlDialect Dialect => SqlDialect.PostgreSql;

    public Task WriteAsync(Action<DbConnection> work) => _writer.Enqueue(work, nameof(PostgreSqlRecordDatabase));

    public Task<T> ReadAsync<T>(Func<DbConnection, T> read) => _reads.Run(read);

    public async Task CheckAsync(CancellationToken cancellation = default)
    {
        await using var command = _source.CreateCommand("SELECT 1");
        await command.ExecuteScalarAsync(cancellation);
    }

    public async ValueTask DisposeAsync()
    {
        await _writer.DisposeAsync();
        await _source.DisposeAsync();
    }
}
