namespace CommandCenter.Web.Tests;

/// <summary>
/// Several command centers on this machine as one cluster: the same Redis (and PostgreSQL when given), each node its
/// own HTTP, MQTT, HJ 212 and Orleans ports and its own data directory, as the README's "Run a cluster" starts them.
/// </summary>
public sealed class ClusterNodes : IAsyncDisposable
{
    private readonly Dictionary<string, string> _settings;

    public ClusterNodes(int count, RedisServer redis, string? postgreSql = null, IDictionary<string, string>? settings = null)
    {
        _settings = new Dictionary<string, string> { ["Cluster__Redis"] = redis.ConnectionString };
        if (postgreSql is not null) _settings["Storage__PostgreSql"] = postgreSql;
        foreach (var (key, value) in settings ?? new Dictionary<string, string>()) _settings[key] = value;
        for (var i = 0; i < count; i++) Add();
    }

    public List<CommandCenterProcess> Nodes { get; } = [];

    public CommandCenterProcess this[int index] => Nodes[index];

    /// <summary>A further node with the cluster's settings (not started); <paramref name="dataDirectory"/> to restart a node on its data.</summary>
    public CommandCenterProcess Add(string? dataDirectory = null)
    {
        var node = new CommandCenterProcess(dataDirectory, _settings);
        Nodes.Add(node);
        return node;
    }

    /// <summary>Starts the nodes one after the other: the first creates the membership table the others join.</summary>
    public async Task Start()
    {
        foreach (var node in Nodes) await node.Start();
    }

    /// <summary>
    /// Registers a device. With PostgreSQL once, through the first node: every node follows a registration made anywhere
    /// (the change goes out on the live feed and each node re-reads the device from the shared records). Without it each
    /// node keeps its registry in its own file, so the device is registered on every node.
    /// </summary>
    public async Task Register(string kind, string id)
    {
        if (_settings.ContainsKey("Storage__PostgreSql")) await Nodes[0].Register(kind, id);
        else foreach (var node in Nodes) await node.Register(kind, id);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Nodes) await node.DisposeAsync();
    }
}
