using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Storage;

/// <summary>
/// Storage on <c>/health</c>: the data directory takes a new file (a full disk or a read-only mount shows here before
/// the first write is lost to it), and the records' database — the embedded SQLite file or the cluster's PostgreSQL,
/// whichever is configured — answers a query. The description names the provider, never the connection string.
/// </summary>
public sealed class StorageHealthCheck(IRecordDatabase records, IOptions<StorageOptions> options) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var provider = options.Value.UsesPostgreSql ? "PostgreSQL" : "SQLite";
        try
        {
            var probe = Path.Combine(Path.GetFullPath(options.Value.DataDirectory), $".health-{Environment.ProcessId}");
            await File.WriteAllBytesAsync(probe, [1], cancellationToken);
            File.Delete(probe);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // The path is the operator's own setting, not a secret; the exception's type says what went wrong.
            return HealthCheckResult.Unhealthy($"data directory not writable ({e.GetType().Name}); records in {provider}");
        }
        try
        {
            await records.CheckAsync(cancellationToken);
            return HealthCheckResult.Healthy($"records in {provider}, reachable; data directory writable");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // Npgsql's messages can quote the host but not the password; the type alone is enough to start looking.
            return HealthCheckResult.Unhealthy($"records in {provider}, not reachable ({e.GetType().Name})");
        }
    }
}
