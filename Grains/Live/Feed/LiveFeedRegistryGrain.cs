using Microsoft.Extensions.DependencyInjection;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Live;

/// <summary>Members as stored: node → the observer's grain id (observer references themselves do not go to JSON).</summary>
public sealed class LiveFeedRegistryState
{
    public Dictionary<string, string> Observers { get; set; } = [];
}

/// <summary>
/// Holds every node's feed observer. Members are stored, so when the registry's own node dies and it comes back on
/// another one, the nodes go on sending to each other instead of waiting for each to register again. A member is
/// dropped when it unregisters, when a call to it fails, or when it has not registered for three renew intervals (a
/// node killed outright). Every change is pushed to all members, so a new node receives from its first second.
/// </summary>
public sealed class LiveFeedRegistryGrain(
    [PersistentState("live-feed", StorageNames.State)] IPersistentState<LiveFeedRegistryState> state,
    IOptions<LiveFeedOptions> options,
    IClusterMembershipService membership,
    [FromKeyedServices(RuleClock.Key)] TimeProvider clock,
    ILogger<LiveFeedRegistryGrain> logger) : Grain, ILiveFeedRegistry
{
    private readonly Dictionary<string, (ILiveFeedObserver Observer, DateTimeOffset HeardAt)> _members = [];

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        // Members stored by an earlier activation count as just heard: each has three renew intervals to show it is alive.
        // A node the cluster knows as dead, or not at all (a restarted embedded node comes back as a new generation),
        // is left out at once rather than called and waited for.
        foreach (var (node, observer) in state.State.Observers.Where(m => IsAlive(m.Key)))
            _members[node] = (GrainFactory.GetGrain(GrainId.Parse(observer)).AsReference<ILiveFeedObserver>(), clock.GetUtcNow());
        var renew = options.Value.RenewInterval;
        this.RegisterGrainTimer(Expire, new GrainTimerCreationOptions(renew, renew) { KeepAlive = true });
        return Task.CompletedTask;
    }

    private bool IsAlive(string node) =>
        membership.CurrentSnapshot.GetSiloStatus(SiloAddress.FromParsableString(node)) is not (SiloStatus.Dead or SiloStatus.None);

    public async Task<LiveFeedMembership> Register(string node, ILiveFeedObserver observer)
    {
        var known = _members.TryGetValue(node, out var member) && member.Observer.GetGrainId() == observer.GetGrainId();
        _members[node] = (observer, clock.GetUtcNow());
        if (!known)
        {
            logger.LogInformation("Node {Node} receives the live feed ({Count} nodes)", node, _members.Count);
            await Changed();
        }
        return new LiveFeedMembership(Members(), Joined: !known);
    }

    public Task Unregister(string node) => Remove(node, "left");

    public Task Drop(string node) => Remove(node, "failed a call");

    public Task<IReadOnlyList<string>> Nodes() => Task.FromResult<IReadOnlyList<string>>([.. _members.Keys.Order(StringComparer.Ordinal)]);

    private async Task Remove(string node, string why)
    {
        if (!_members.Remove(node)) return;
        logger.LogInformation("Node {Node} no longer receives the live feed: it {Why} ({Count} nodes)", node, why, _members.Count);
        await Changed();
    }

    private async Task Expire(CancellationToken cancellationToken)
    {
        var silentSince = clock.GetUtcNow() - 3 * options.Value.RenewInterval;
        foreach (var node in _members.Where(m => m.Value.HeardAt < silentSince).Select(m => m.Key).ToList())
            await Remove(node, "stopped registering");
    }

    private List<LiveFeedMember> Members() => [.. _members.Select(m => new LiveFeedMember(m.Key, m.Value.Observer))];

    /// <summary>
    /// Stores the members and tells every one of them, without waiting: a dead node's call runs into its timeout, and
    /// the registry must meanwhile answer the others. A node that missed the news gets it when it registers again.
    /// </summary>
    private async Task Changed()
    {
        state.State.Observers = _members.ToDictionary(m => m.Key, m => m.Value.Observer.GetGrainId().ToString());
        await state.WriteStateAsync();
        _ = Tell(Members());
    }

    private Task Tell(List<LiveFeedMember> members) =>
        Task.WhenAll(members.Select(async member =>
        {
            try
            {
                await member.Observer.Members(members);
            }
            catch (Exception e)
            {
                logger.LogWarning(e, "Node {Node} could not be told the live feed's members", member.Node);
            }
        }));
}
