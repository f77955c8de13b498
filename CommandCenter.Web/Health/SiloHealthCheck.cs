using Orleans.Runtime;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace CommandCenter.Web.Health;

/// <summary>
/// This node's Orleans silo on <c>/health</c>: active in the membership it sees. A silo still joining, or declared
/// dead by the others, hosts no grains, so the node cannot take device messages.
/// </summary>
public sealed class SiloHealthCheck(IClusterMembershipService membership, ILocalSiloDetails local) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var snapshot = membership.CurrentSnapshot;
        var status = snapshot.GetSiloStatus(local.SiloAddress);
        var active = snapshot.Members.Values.Count(m => m.Status == SiloStatus.Active);
        var description = $"silo {status.ToString().ToLowerInvariant()}, {active} active in the cluster";
        return Task.FromResult(status == SiloStatus.Active ? HealthCheckResult.Healthy(description) : HealthCheckResult.Unhealthy(description));
    }
}
