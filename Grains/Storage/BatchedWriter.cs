using System.Data.Common;
using System.Threading.Channels;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Grains.Storage;

/// <summary>
/// One writer over one connection that commits whatever is queued in a single transaction, so thousands of writes at
/// once cost a handful of commits, and a caller's await ends only once its write is committed. A write that throws
/// fails alone: the others of its batch still commit.
/// </summary>
internal sealed class BatchedWriter : IAsyncDisposable
{
    private sealed record Write(Action<DbConnection> Work, TaskCompletionSource Done);

    private readonly Channel<Write> _queue = Channel.CreateUnbounded<Write>(new() { SingleReader = true });
    private readonly Func<DbConnection> _open;
    private readonly int _maxBatch;
    private readonly bool _failureAbortsTransaction;
    private readonly ILogger _logger;
    private readonly Task _loop;

    /// <param name="open">Opens (and prepares) the writer's connection; called again after the connection broke.</param>
    /// <param name="failureAbortsTransaction">
    /// True where one failed statement makes the whole transaction fail (PostgreSQL): the batch is then rolled back and
    /// run again without the writes that threw. SQLite goes on after a failed statement, so its batch commits at once.
    /// </param>
    public BatchedWriter(Func<DbConnection> open, int maxBatch, bool failureAbortsTransaction, ILogger logger)
    {
        _open = open;
        _maxBatch = maxBatch;
        _failureAbortsTransaction = failureAbortsTransaction;
        _logger = logger;
        _loop = Task.Factory.StartNew(WriteLoop, TaskCreationOptions.LongRunning).Unwrap();
    }

    public Task Enqueue(Action<DbConnection> work, string owner)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (!_queue.Writer.TryWrite(new Write(work, done)))
            done.SetException(new ObjectDisposedException(owner));
        return done.Task;
    }

    private async Task WriteLoop()
    {
        DbConnection? connection = null;
        var batch = new List<Write>(_maxBatch);
        while (await _queue.Reader.WaitToReadAsync())
        {
            batch.Clear();
            while (batch.Count < _maxBatch && _queue.Reader.TryRead(out var write)) batch.Add(write);
            try
            {
                connection ??= _open();
                Commit(connection, batch);
            }
            catch (Exception e)
            {
                _logger.LogError(e, "Committing {Count} writes failed", batch.Count);
                foreach (var write in batch) write.Done.TrySetException(e);
                // A connection that failed a commit may be broken (a database restarted): the next batch opens another.
                connection?.Dispose();
                connection = null;
            }
        }
        connection?.Dispose();
    }

    private void Commit(DbConnection connection, List<Write> batch)
    {
        var pending = batch;
        while (pending.Count > 0)
        {
            var failed = new HashSet<Write>(ReferenceEqualityComparer.Instance);
            using var transaction = connection.BeginTransaction();
            foreach (var write in pending)
            {
                try { write.Work(connection); }
                catch (Exception e)
                {
                    failed.Add(write);
                    write.Done.TrySetException(e);
                    // Every later statement of an aborted transaction would fail too: run them in the next one.
                    if (_failureAbortsTransaction) break;
                }
            }
            if (failed.Count > 0 && _failureAbortsTransaction)
            {
                transaction.Rollback();
                pending = pending.Where(w => !failed.Contains(w)).ToList();
                continue;
            }
            transaction.Commit();
            foreach (var write in pending)
                if (!failed.Contains(write)) write.Done.TrySetResult();
            return;
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await _loop;
    }
}
