using CommandCenter.Grains.Video;

namespace CommandCenter.Web.Video.Cluster;

/// <summary>This node as the relay-owner grains know it: its silo, and the URL the other nodes proxy viewers to.</summary>
internal sealed class LocalRelayNode(ILocalSiloDetails silo, IConfiguration configuration)
{
    private RelayNode? _node;

    public RelayNode Node => _node ??= new RelayNode(silo.SiloAddress, BaseUrl(configuration));

    /// <summary><c>Cluster:NodeUrl</c>, or else this node's first <c>Urls</c> entry; always ending in a slash.</summary>
    private static string BaseUrl(IConfiguration configuration)
    {
        var url = configuration["Cluster:NodeUrl"] is { Length: > 0 } configured
            ? configured
            : (configuration["Urls"] ?? "http://127.0.0.1:5000").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)[0];
        return url.EndsWith('/') ? url : url + "/";
    }
}
