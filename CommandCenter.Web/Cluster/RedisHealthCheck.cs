using Microsoft.Extensions.Diagnostics.HealthChecks;
using StackExchange.Redis;

namespace CommandCenter.Web.Cluster;

/// <summary>
/// The cluster's Redis on <c>/health</c>: a PING through this node's own connection. Membership, grain state and
/// reminders all live there, so a node that cannot reach it cannot take part in the city for long.
/// </summary>
public sealed class RedisHealthCheck(RedisConnection connection) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        try
        {
            var latency = await connection.Database.PingAsync().WaitAsync(cancellationToken);
            return HealthCheckResult.Healthy($"PING answered in {latency.TotalMilliseconds:0.#} ms");
        }
        catch (Exception e) when (e is RedisException or TimeoutException or ObjectDisposedException)
        {
            // The type says what failed; the message may carry the endpoint list, which is configuration, not a secret,
            // but the connection string may hold a password, so it is left out.
            return HealthCheckResult.Unhealthy($"PING not answered ({e.GetType().Name})");
        }
    }
}
