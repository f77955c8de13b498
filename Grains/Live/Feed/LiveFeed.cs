using System.Collections.Concurrent;
using System.Numerics;
using System.Threading.Channels;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Live;

/// <summary>
/// Where grains publish what changed: once, on the node they run on. Device snapshots are coalesced per device for
/// <see cref="LiveFeedOptions.BatchInterval"/>, alerts and incidents leave at once; each batch goes to every node's
/// observer (<see cref="LiveFeedNode"/>), this node's included, which applies it to that node's <see cref="LiveBoard"/>.
/// One sender per destination keeps batches in order and lets a dead node time out without holding up the others.
/// </summary>
public sealed class LiveFeed(IGrainFactory grains, IOptions<LiveFeedOptions> options, ILogger<LiveFeed> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, DeviceSnapshot> _devices = new();
    private readonly ConcurrentDictionary<string, ForgottenDevice> _forgotten = new();
    private readonly ConcurrentQueue<Alert> _alerts = new();
    private readonly ConcurrentQueue<Dispatch.Incident> _incidents = new();
    private readonly ConcurrentQueue<RegistryChange> _registry = new();
    // At most one wake-up pending: alerts and incidents do not wait for the device batch.
    private readonly SemaphoreSlim _urgent = new(0, 1);
    private readonly Lock _membership = new();
    private Dictionary<string, Sender> _senders = [];
    private long _dropped;
    private readonly int _maxPending = options.Value.MaxPendingBatches;

    /// <summary>This node's name in the feed (its silo address), set when the node joins.</summary>
    public string Node { get; internal set; } = "";

    /// <summary>This node's own observer object: its batches are applied by a direct call, not through Orleans messaging.</summary>
    internal ILiveFeedObserver? Local { get; set; }

    /// <summary>
    /// An alert published by a grain on this node: raised on exactly one node per change in the whole cluster, so
    /// what reacts to alerts (evidence snapshots) acts once, not once per node. Runs on the grain's call: only queue.
    /// </summary>
    public event Action<Alert>? AlertPublished;

    /// <summary>
    /// A device's registration changed on another node: this node's copy of the registry must re-read it. Raised on
    /// the feed's call; handlers only queue. Changes made on this node are not raised here (it applied them already).
    /// </summary>
    public event Action<RegistryChange>? RegistryChanged;

    /// <summary>
    /// This node is back in the feed after being out of it (dropped after missed renewals or a failed call, or not
    /// registered since start-up): nothing was sent to it meanwhile, so what keeps a copy of the city's state re-reads it
    /// (<see cref="BoardCatchUp"/>, the device registry). Raised once per return, on the renewal's call: handlers only queue.
    /// </summary>
    public event Action? Rejoined;

    /// <summary>Batches a slow or dead node did not take in time.</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    /// <summary>Times this node came back into the feed after being out of it.</summary>
    public long Rejoins => Interlocked.Read(ref _rejoins);
    private long _rejoins;

    /// <summary>Nodes this node sends to.</summary>
    public IReadOnlyCollection<string> Destinations
    {
        get { lock (_membership) return [.. _senders.Keys]; }
    }

    public void Publish(DeviceSnapshot device)
    {
        _forgotten.TryRemove(device.Key, out _);
        _devices[device.Key] = device;
    }

    public void Forget(DeviceKind kind, string id)
    {
        var forgotten = new ForgottenDevice(kind, id);
        var key = $"{kind.Name()}/{id}";
        _devices.TryRemove(key, out _);
        _forgotten[key] = forgotten;
    }

    public void Publish(Alert alert)
    {
        _alerts.Enqueue(alert);
        Wake();
        try
        {
            AlertPublished?.Invoke(alert);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Reacting to alert {Alert} failed", alert.Id);
        }
    }

    public void Publish(Dispatch.Incident incident)
    {
        _incidents.Enqueue(incident);
        Wake();
    }

    /// <summary>A registration committed on this node; it leaves at once, like an alert, so other nodes follow within the call.</summary>
    public void Publish(RegistryChange change)
    {
        _registry.Enqueue(change);
        Wake();
    }

    /// <summary>A batch's registry changes reached this node's observer.</summary>
    internal void Received(LiveFeedBatch batch)
    {
        if (batch.Registry.Count == 0 || batch.Origin == Node) return;
        foreach (var change in batch.Registry)
        {
            try
            {
                RegistryChanged?.Invoke(change);
            }
            catch (Exception e)
            {
                logger.LogError(e, "Following the registry change of device {Device} failed", change.DeviceId);
            }
        }
    }

    /// <summary>The registry took this node back in after it had been out.</summary>
    internal void Rejoin()
    {
        Interlocked.Increment(ref _rejoins);
        if (Rejoined is not { } handlers) return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action>())
        {
            try
            {
                handler();
            }
            catch (Exception e)
            {
                logger.LogError(e, "Catching up after rejoining the live feed failed to start");
            }
        }
    }

    private void Wake()
    {
        if (_urgent.CurrentCount > 0) return;
        try
        {
            _urgent.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another change woke the loop in the same instant; one wake-up takes both.
        }
    }

    /// <summary>The registry's members: senders start for new nodes and stop for nodes gone.</summary>
    internal void SetMembers(IReadOnlyList<LiveFeedMember> members)
    {
        lock (_membership)
        {
            var next = new Dictionary<string, Sender>();
            foreach (var member in members)
                next[member.Node] = _senders.Remove(member.Node, out var sender) && sender.Observer.GetGrainId() == member.Observer.GetGrainId()
                    ? sender
                    : new Sender(this, member.Node, member.Observer, member.Node == Node && Local is { } local ? local : member.Observer);
            foreach (var gone in _senders.Values) gone.Stop();
            _senders = next;
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var interval = options.Value.BatchInterval;
        var nextBatch = DateTime.UtcNow + interval;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                var untilBatch = nextBatch - DateTime.UtcNow;
                if (untilBatch > TimeSpan.Zero) await _urgent.WaitAsync(untilBatch, stoppingToken);
                var devicesDue = DateTime.UtcNow >= nextBatch;
                if (devicesDue) nextBatch = DateTime.UtcNow + interval;
                Send(Take(devicesDue));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
        Send(Take(withDevices: true));
    }

    /// <summary>Removing each key before reading its value means a change racing the batch goes with the next one, never lost.</summary>
    private LiveFeedBatch Take(bool withDevices)
    {
        var devices = new List<DeviceSnapshot>();
        var forgotten = new List<ForgottenDevice>();
        if (withDevices)
        {
            foreach (var key in _forgotten.Keys)
                if (_forgotten.TryRemove(key, out var device)) forgotten.Add(device);
            foreach (var key in _devices.Keys)
                if (_devices.TryRemove(key, out var device)) devices.Add(device);
        }
        var alerts = new List<Alert>();
        while (_alerts.TryDequeue(out var alert)) alerts.Add(alert);
        var incidents = new List<Dispatch.Incident>();
        while (_incidents.TryDequeue(out var incident)) incidents.Add(incident);
        var registry = new List<RegistryChange>();
        while (_registry.TryDequeue(out var change)) registry.Add(change);
        return new LiveFeedBatch(Node, devices, alerts, incidents, forgotten, registry);
    }

    private void Send(LiveFeedBatch batch)
    {
        if (batch.IsEmpty) return;
        Dictionary<string, Sender> senders;
        lock (_membership) senders = _senders;
        foreach (var sender in senders.Values) sender.Enqueue(batch);
    }

    /// <summary>A call to a node failed: it stops receiving until it registers again (it renews every few seconds).</summary>
    private async Task Failed(Sender sender, Exception e)
    {
        logger.LogWarning(e, "Node {Node} did not take the live feed; it is dropped until it registers again", sender.Node);
        lock (_membership)
        {
            if (_senders.TryGetValue(sender.Node, out var current) && current == sender)
                _senders = _senders.Where(s => s.Key != sender.Node).ToDictionary();
        }
        try
        {
            await grains.GetGrain<ILiveFeedRegistry>(0).Drop(sender.Node);
        }
        catch (Exception dropFailed)
        {
            logger.LogWarning(dropFailed, "The live feed's registry could not be told that node {Node} failed", sender.Node);
        }
    }

    private void Overflowed(string node)
    {
        var dropped = Interlocked.Increment(ref _dropped);
        if (BitOperations.IsPow2(dropped))
            logger.LogWarning("Node {Node} falls behind the live feed: its oldest batch was dropped ({Dropped} batches so far)", node, dropped);
    }

    /// <summary>Delivers batches to one node, in order, one call at a time.</summary>
    private sealed class Sender
    {
        private readonly LiveFeed _feed;
        private readonly Channel<LiveFeedBatch> _queue;
        // The reference for other nodes; this node's own observer object for itself.
        private readonly ILiveFeedObserver _target;

        public string Node { get; }
        public ILiveFeedObserver Observer { get; }

        public Sender(LiveFeed feed, string node, ILiveFeedObserver observer, ILiveFeedObserver target)
        {
            (_feed, Node, Observer, _target) = (feed, node, observer, target);
            _queue = Channel.CreateBounded<LiveFeedBatch>(new BoundedChannelOptions(feed._maxPending)
            {
                FullMode = BoundedChannelFullMode.DropOldest, SingleReader = true,
            }, _ => feed.Overflowed(node));
            _ = Task.Run(Run);
        }

        public void Enqueue(LiveFeedBatch batch) => _queue.Writer.TryWrite(batch);

        public void Stop() => _queue.Writer.TryComplete();

        private async Task Run()
        {
            await foreach (var batch in _queue.Reader.ReadAllAsync())
            {
                try
                {
                    await _target.Apply(batch);
                }
                catch (Exception e)
                {
                    Stop();
                    await _feed.Failed(this, e);
                    return;
                }
            }
        }
    }
}
