using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Live;

/// <summary>
/// This node's place in the live feed: once the silo is active it registers an observer with the registry and
/// renews it every <see cref="LiveFeedOptions.RenewInterval"/> (a registry that lost it, or dropped it after a failed
/// call, takes it back); batches from every node land here and go onto this node's <see cref="LiveBoard"/>, the only
/// way anything reaches the board besides what it loads from storage at start-up. A renewal that takes the node back in
/// after it had been out tells <see cref="LiveFeed.Rejoined"/>, so the board catches up on what it missed meanwhile.
/// On shutdown it unregisters.
/// </summary>
public sealed class LiveFeedNode(
    IGrainFactory grains,
    LiveFeed feed,
    LiveBoard board,
    ILocalSiloDetails silo,
    IOptions<LiveFeedOptions> options,
    ILogger<LiveFeedNode> logger) : ILifecycleParticipant<ISiloLifecycle>, ILiveFeedObserver
{
    private readonly CancellationTokenSource _stopping = new();
    private ILiveFeedObserver? _reference;
    private Task _renewing = Task.CompletedTask;

    private ILiveFeedRegistry Registry => grains.GetGrain<ILiveFeedRegistry>(0);

    /// <summary>Registrations the registry answered, the first one included.</summary>
    public long Renewals => Interlocked.Read(ref _renewals);
    private long _renewals;

    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe(nameof(LiveFeedNode), ServiceLifecycleStage.Active, Join, Leave);

    private Task Join(CancellationToken cancellationToken)
    {
        feed.Node = silo.SiloAddress.ToParsableString();
        _reference = grains.CreateObjectReference<ILiveFeedObserver>(this);
        feed.Local = this;
        // Changes made before the registry answers still reach this node's own board.
        feed.SetMembers([new LiveFeedMember(feed.Node, _reference)]);
        // The first registration is not awaited here: the registry grain may need this silo to have finished starting
        // before it can be placed, so waiting for it would hold the start up until a call timeout.
        _renewing = Task.Run(() => RenewLoop(_stopping.Token));
        return Task.CompletedTask;
    }

    private async Task Leave(CancellationToken cancellationToken)
    {
        await _stopping.CancelAsync();
        await _renewing;
        if (_reference is null) return;
        try
        {
            await Registry.Unregister(feed.Node).WaitAsync(cancellationToken);
        }
        catch (Exception e)
        {
            // The registry drops a node that stops renewing anyway.
            logger.LogWarning(e, "Leaving the live feed failed");
        }
        grains.DeleteObjectReference<ILiveFeedObserver>(_reference);
    }

    private async Task RenewLoop(CancellationToken stopping)
    {
        using var timer = new PeriodicTimer(options.Value.RenewInterval);
        try
        {
            await Renew(atStart: true);
            while (await timer.WaitForNextTickAsync(stopping)) await Renew();
        }
        catch (OperationCanceledException) when (stopping.IsCancellationRequested) { }
    }

    /// <param name="atStart">
    /// The first registration, made while the board loads from storage: joining then is no return. A later one that
    /// joins (the node had been dropped, or the first one failed) is: the node missed what changed while it was out.
    /// </param>
    private async Task Renew(bool atStart = false)
    {
        try
        {
            var membership = await Registry.Register(feed.Node, _reference!);
            feed.SetMembers(membership.Members);
            Interlocked.Increment(ref _renewals);
            if (membership.Joined && !atStart)
            {
                logger.LogWarning("This node was out of the live feed and is back; its board and device registry catch up on what changed meanwhile");
                feed.Rejoin();
            }
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Registering with the live feed failed; trying again in {Interval}", options.Value.RenewInterval);
        }
    }

    public Task Apply(LiveFeedBatch batch)
    {
        foreach (var gone in batch.Forgotten) board.Forget(gone.Kind, gone.Id);
        foreach (var device in batch.Devices) board.Publish(device);
        foreach (var alert in batch.Alerts) board.Publish(alert);
        foreach (var incident in batch.Incidents) board.Publish(incident);
        feed.Received(batch);
        return Task.CompletedTask;
    }

    public Task Members(IReadOnlyList<LiveFeedMember> members)
    {
        feed.SetMembers(members);
        return Task.CompletedTask;
    }
}
