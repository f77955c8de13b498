using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Video;

/// <summary>
/// Lease of one camera's relay. The state is deliberately not persisted: it is only worth anything while the owner
/// renews it, and a lost activation (its silo died) is answered by the next claim or renewal — the owner, if still
/// alive, renews within <see cref="VideoClusterOptions.RenewInterval"/> and gets it back, otherwise the first node a
/// viewer asks takes over. Placed on the first caller's silo, which is usually the claimant that becomes owner, so
/// the grain and its owner tend to fail together and a dead node's cameras move at once.
/// </summary>
[Orleans.Placement.PreferLocalPlacement]
internal sealed class RelayOwnerGrain(
    IOptions<VideoClusterOptions> options, IClusterMembershipService membership, [FromKeyedServices(RuleClock.Key)] TimeProvider time) : Grain, IRelayOwnerGrain
{
    private RelayNode? _owner;
    private DateTimeOffset _leaseUntil;

    public Task<RelayNode> Claim(RelayNode node)
    {
        if (CurrentOwner() is { } owner && !owner.Silo.Equals(node.Silo)) return Task.FromResult(owner);
        Grant(node);
        return Task.FromResult(node);
    }

    public Task<bool> Renew(RelayNode node)
    {
        if (CurrentOwner() is { } owner && !owner.Silo.Equals(node.Silo)) return Task.FromResult(false);
        Grant(node);
        return Task.FromResult(true);
    }

    public Task Release(RelayNode node)
    {
        if (_owner?.Silo.Equals(node.Silo) == true) _owner = null;
        return Task.CompletedTask;
    }

    public Task<RelayNode?> Owner() => Task.FromResult(CurrentOwner());

    /// <summary>The owner while its lease runs and its silo is not known to be dead.</summary>
    private RelayNode? CurrentOwner()
    {
        if (_owner is null) return null;
        if (time.GetUtcNow() >= _leaseUntil || membership.CurrentSnapshot.GetSiloStatus(_owner.Silo) == SiloStatus.Dead) _owner = null;
        return _owner;
    }

    private void Grant(RelayNode node)
    {
        _owner = node;
        _leaseUntil = time.GetUtcNow() + options.Value.LeaseLength;
    }
}
