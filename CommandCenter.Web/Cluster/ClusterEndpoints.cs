using CommandCenter.Grains.Devices;
using CommandCenter.Web.Api;

namespace CommandCenter.Web.Cluster;

/// <summary>The cluster's nodes as Orleans sees them, for operators and for choosing which node to take down.</summary>
public static class ClusterEndpoints
{
    /// <summary>
    /// One active silo: its address, whether it is the node answering, how many grains it holds, and whether it runs the
    /// cluster's offline sweep (<see cref="DeviceWatchGrain"/>).
    /// </summary>
    public sealed record SiloEntry(string Address, bool Self, int Activations, bool Sweeping);

    public static void MapClusterApi(this IEndpointRouteBuilder app)
    {
        // GET /api/cluster/silos (read scope): every active silo with its activation count, the busiest first.
        // One node answers for all, from the management grain, so the counts are taken at one moment.
        app.MapGroup("/api/cluster").AddEndpointFilter<ApiKeyFilter>().MapGet("/silos", async (IGrainFactory grains, ILocalSiloDetails local) =>
        {
            var management = grains.GetGrain<IManagementGrain>(0);
            var hosts = await management.GetHosts(onlyActive: true);
            var statistics = await management.GetSimpleGrainStatistics(hosts.Keys.ToArray());
            var counts = statistics.GroupBy(s => s.SiloAddress).ToDictionary(g => g.Key, g => g.Sum(s => s.ActivationCount));
            // Read from the statistics rather than asked of the watch grain, which asking would activate.
            var sweeping = statistics.Where(s => s.GrainType.StartsWith(typeof(DeviceWatchGrain).FullName!, StringComparison.Ordinal) && s.ActivationCount > 0).Select(s => s.SiloAddress).ToHashSet();
            return hosts.Keys
                .Select(silo => new SiloEntry(silo.Endpoint.ToString(), silo.Equals(local.SiloAddress), counts.GetValueOrDefault(silo), sweeping.Contains(silo)))
                .OrderByDescending(s => s.Activations);
        });
    }
}
