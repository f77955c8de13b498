using System.Data.Common;

namespace CommandCenter.Grains.Storage;

/// <summary>
/// Runs reads on pooled connections on the thread pool, never on the caller's thread: Microsoft.Data.Sqlite's async
/// methods run synchronously, and a grain's thread blocked on the disk (or the network) stalls every grain scheduled
/// behind it. At most <see cref="MaxConcurrentReads"/> reads run at once; the rest wait without a thread.
/// </summary>
internal sealed class BoundedReads(Func<DbConnection> open)
{
    /// <summary>Enough to keep the disk and the cores busy, few enough that a burst of reads cannot take every pool thread.</summary>
    private static readonly int MaxConcurrentReads = Math.Max(2, Environment.ProcessorCount);
    private readonly SemaphoreSlim _readers = new(MaxConcurrentReads);

    public async Task<T> Run<T, TConnection>(Func<TConnection, T> read) where TConnection : DbConnection
    {
        await _readers.WaitAsync().ConfigureAwait(false);
        try
        {
            return await Task.Factory.StartNew(() =>
            {
                using var connection = (TConnection)open();
                return read(connection);
            }, CancellationToken.None, TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).ConfigureAwait(false);
        }
        finally
        {
            _readers.Release();
        }
    }
}
