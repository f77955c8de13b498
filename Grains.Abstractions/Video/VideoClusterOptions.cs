namespace CommandCenter.Grains.Video;

/// <summary>How cameras are shared out between the nodes of a cluster (unused by the embedded single node).</summary>
public sealed class VideoClusterOptions
{
    public const string Section = "VideoCluster";

    /// <summary>
    /// How long a node owns a camera's relay without renewing. Bounds how long a camera stays with a node that still
    /// answers membership probes but no longer relays it; a dead node loses its cameras as soon as it is declared
    /// dead, without waiting for the lease.
    /// </summary>
    public TimeSpan LeaseLength { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How often a node renews the leases of the cameras it relays; well below <see cref="LeaseLength"/>.</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsValid() => LeaseLength > TimeSpan.Zero && RenewInterval > TimeSpan.Zero && RenewInterval < LeaseLength;
}
