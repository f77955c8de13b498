namespace CommandCenter.Grains.Video;

/// <summary>A node that can relay cameras: its silo (to tell whether it is alive) and the base URL other nodes proxy to.</summary>
[GenerateSerializer, Immutable, Alias("relay-node")]
public sealed record RelayNode(SiloAddress Silo, string Url);

/// <summary>
/// Decides which node relays one camera (keyed by camera id), so a cluster runs one ffmpeg per camera. The owner
/// holds a lease it renews while it relays; the lease passes to another node when it expires, is released, or when
/// the owner's silo is declared dead.
/// </summary>
public interface IRelayOwnerGrain : IGrainWithStringKey
{
    /// <summary>The node that relays the camera: <paramref name="node"/> itself when there was no live owner.</summary>
    Task<RelayNode> Claim(RelayNode node);

    /// <summary>Extends the lease of <paramref name="node"/>; takes it when nobody holds it. False: another node owns it.</summary>
    Task<bool> Renew(RelayNode node);

    /// <summary>Gives the lease up if <paramref name="node"/> holds it (its stream stopped for lack of viewers).</summary>
    Task Release(RelayNode node);

    /// <summary>The current owner, or null when the lease is free.</summary>
    Task<RelayNode?> Owner();
}
