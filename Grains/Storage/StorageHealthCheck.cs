using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Storage;

/// <summary>
/// The embedded store on <c>/health</c>: its directory takes a new file and its one writer commits a transaction.
/// A full disk, a read-only mount or a stuck writer shows here before the first write is lost to it.
/// </summary>
public sealed class StorageHealthCheck(SqliteStore store, IOptions<StorageOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var directory = Path.GetFullPath(options.Value.DataDirectory);
        try
        {
            var probe = Path.Combine(directory, $".health-{Environment.ProcessId}");
            await File.WriteAllBytesAsync(probe, [1], cancellationToken);
            File.Delete(probe);
            await store.WriteAsync(c => SqliteStore.Execute(c, "SELECT 1")).WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy("SQLite state database writable");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The path is the operator's own setting, not a secret; the exception's type says what went wrong.
            return HealthCheckResult.Unhealthy($"SQLite state database not writable ({e.GetType().Name})");
        }
    }
}
