using CommandCenter.Grains.Video;
using CommandCenter.Web.Cluster;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Video.Cluster;

/// <summary>This node as the relay-owner grains know it: its silo, and the URL the other nodes proxy viewers to.</summary>
internal sealed class LocalRelayNode(ILocalSiloDetails silo, IOptions<ClusterOptions> cluster, IConfiguration configuration)
{
    private RelayNode? _node;

    public RelayNode Node => _node ??= new RelayNode(silo.SiloAddress, cluster.Value.NodeUrlOr(configuration["Urls"]) + "/");
}
