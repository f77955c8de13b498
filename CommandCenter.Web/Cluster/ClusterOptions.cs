namespace CommandCenter.Web.Cluster;

/// <summary>
/// Several nodes as one city. With <see cref="Redis"/> empty (the default) the command center is one embedded node:
/// localhost clustering and grain state in the embedded database, as it has always been. With it set, every node
/// joins one Orleans cluster whose membership, grain state, reminders and sign-in keys live in that Redis.
/// The membership numbers below were measured so that a node lost without warning has its devices served again by
/// the others within 5 s (see docs/cluster.md); Orleans' own defaults take about 30 s.
/// </summary>
public sealed class ClusterOptions
{
    public const string Section = "Cluster";

    /// <summary>A StackExchange.Redis connection string, e.g. "10.0.0.5:6379,password=…"; empty (default) = one embedded node.</summary>
    public string Redis { get; set; } = "";

    /// <summary>The base URL other nodes use to reach this node's HTTP; empty (default) = the first of this node's <c>Urls</c>.</summary>
    public string NodeUrl { get; set; } = "";

    /// <summary>The IP address this node's silo advertises to the others and listens on (default 127.0.0.1: all nodes on one machine).</summary>
    public string AdvertisedAddress { get; set; } = "127.0.0.1";

    /// <summary>How long a node waits for a probe's answer before counting it missed (default 1 s; Orleans: 5 s).</summary>
    public TimeSpan ProbeTimeout { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Probes missed in a row before a node suspects another (default 2; Orleans: 3).</summary>
    public int NumMissedProbesLimit { get; set; } = 2;

    /// <summary>Suspicions needed to declare a node dead (default 1, so two surviving nodes of three can evict the third; Orleans: 2).</summary>
    public int NumVotesForDeathDeclaration { get; set; } = 1;

    /// <summary>How long a suspicion counts towards a death declaration (default 10 s; Orleans: 2 min).</summary>
    public TimeSpan DeathVoteExpirationTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>How often a node re-reads the membership table (default 2 s; Orleans: 1 min).</summary>
    public TimeSpan TableRefreshTimeout { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How often a node writes its "I am alive" row (default 5 s; Orleans: 30 s).</summary>
    public TimeSpan IAmAliveTablePublishTimeout { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long a call between grains waits for an answer (default 2 s; Orleans: 30 s). A call in flight to a node that
    /// dies fails after this and is retried on a live node; shorter fails over sooner, but a call that is merely slow
    /// on a loaded machine fails too.
    /// </summary>
    public TimeSpan ResponseTimeout { get; set; } = TimeSpan.FromSeconds(2);

    public bool Enabled => !string.IsNullOrWhiteSpace(Redis);

    public bool IsValid() =>
        System.Net.IPAddress.TryParse(AdvertisedAddress, out _)
        && (NodeUrl.Length == 0 || Uri.TryCreate(NodeUrl, UriKind.Absolute, out _))
        && ProbeTimeout > TimeSpan.Zero && NumMissedProbesLimit > 0 && NumVotesForDeathDeclaration > 0
        && DeathVoteExpirationTimeout > TimeSpan.Zero && TableRefreshTimeout > TimeSpan.Zero
        && IAmAliveTablePublishTimeout > TimeSpan.Zero && ResponseTimeout > TimeSpan.Zero;

    /// <summary>This node's base URL for the other nodes: <see cref="NodeUrl"/>, else the first of <paramref name="urls"/> (the <c>Urls</c> setting).</summary>
    public string NodeUrlOr(string? urls)
    {
        if (NodeUrl.Length > 0) return NodeUrl.TrimEnd('/');
        var first = (urls ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "";
        return first.TrimEnd('/');
    }
}
