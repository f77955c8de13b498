using System.Threading.Channels;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Live;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.LiveHub;

/// <summary>
/// Turns the live board's pushes into numbered events for hub clients, keeps the recent alert events for clients that
/// reconnect, and hands each push to every subscription's own bounded queue.
/// <para>
/// Ids start at the host's start time in microseconds since 1970 and count up by one per event, so they increase across
/// restarts too (a run would need more than a million events a second to catch up with the clock): an id from before a
/// restart is below everything this run remembers and is answered as too old, never mistaken for a new event. They stay
/// below 2^53, so JavaScript clients hold them exactly.
/// </para>
/// <para>
/// Only alert events are kept for catch-up. Devices are state rather than events: a client that (re)subscribes gets the
/// current picture of its devices, which makes replaying a minute of 10,000 devices' batches unnecessary.
/// </para>
/// </summary>
public sealed class LiveEventLog(LiveBoard board, IOptions<LiveHubOptions> options, TimeProvider time, ILogger<LiveEventLog> logger)
    : IHostedService
{
    private readonly Lock _gate = new();
    private readonly Queue<LiveEvent> _recent = new();
    private readonly Dictionary<string, Alert> _active = [];
    private readonly HashSet<LiveSubscription> _subscriptions = [];
    private readonly long _start = time.GetUtcNow().ToUnixTimeMilliseconds() * 1000;
    private long _last;
    // The newest id a resuming client may hold and still get everything after it: the last id forgotten from the log.
    private long _forgottenUpTo;
    private long _overflows;

    /// <summary>Subscriptions ended because their client fell behind by <see cref="LiveHubOptions.ClientQueue"/> pushes.</summary>
    public long Overflows => Interlocked.Read(ref _overflows);

    public int Subscriptions { get { lock (_gate) return _subscriptions.Count; } }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _last = _forgottenUpTo = _start;
        board.Changed += OnChanged;
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        board.Changed -= OnChanged;
        lock (_gate)
            foreach (var subscription in _subscriptions) subscription.End(new HubException("The command center is shutting down; reconnect later."));
        return Task.CompletedTask;
    }

    /// <summary>Runs on the board's push thread, one push at a time: numbering, logging and queueing, never filtering or sending.</summary>
    private void OnChanged(LiveChanges changes)
    {
        lock (_gate)
        {
            var events = new List<LiveEvent>(changes.Alerts.Count + 1);
            foreach (var alert in changes.Alerts)
            {
                var change = AlertChanges.Of(_active.GetValueOrDefault(alert.Id), alert);
                if (alert.IsActive) _active[alert.Id] = alert;
                else _active.Remove(alert.Id);
                var alertEvent = new LiveEvent(++_last, LiveEvent.AlertType, change, alert);
                events.Add(alertEvent);
                Remember(alertEvent);
            }
            if (changes.Devices.Count > 0 || changes.Forgotten.Count > 0)
                events.Add(new LiveEvent(++_last, LiveEvent.DevicesType, Devices: changes.Devices, Forgotten: changes.Forgotten));
            if (events.Count == 0) return;
            List<LiveSubscription>? behind = null;
            foreach (var subscription in _subscriptions)
                if (!subscription.Offer(events)) (behind ??= []).Add(subscription);
            foreach (var slow in behind ?? [])
            {
                _subscriptions.Remove(slow);
                Interlocked.Increment(ref _overflows);
                logger.LogWarning("Hub client {Caller} fell {Pushes} pushes behind; its subscription was ended", slow.Caller, options.Value.ClientQueue);
                slow.End(new HubException(
                    $"This client fell more than {options.Value.ClientQueue} pushes behind. Subscribe again with the last event id it saw."));
            }
        }
    }

    private void Remember(LiveEvent alertEvent)
    {
        _recent.Enqueue(alertEvent);
        while (_recent.Count > options.Value.CatchUpEvents) _forgottenUpTo = _recent.Dequeue().Id;
    }

    /// <summary>
    /// Registers a subscription and returns what it starts with: the <c>subscribed</c> event, then (when resuming) the
    /// alert events after <paramref name="lastEventId"/>. Taken under the same lock as each push, so the first push the
    /// subscription receives follows exactly: no gap, no duplicate.
    /// </summary>
    public IReadOnlyList<LiveEvent> Subscribe(LiveSubscription subscription, long? lastEventId)
    {
        lock (_gate)
        {
            var filter = subscription.Filter;
            var devices = filter.Devices ? board.EachDevice().Where(filter.Matches).ToList() : null;
            var resumable = lastEventId is { } id && id >= _forgottenUpTo && id <= _last;
            var first = resumable
                ? new LiveEvent(lastEventId!.Value, LiveEvent.SubscribedType, Devices: devices, Resumed: true, TooOld: false)
                : new LiveEvent(_last, LiveEvent.SubscribedType, Devices: devices, Resumed: false, TooOld: lastEventId is not null,
                    Alerts: [.. _active.Values.Concat(board.EachAlert().Where(a => a.IsActive && !_active.ContainsKey(a.Id)))
                        .Where(filter.Matches).OrderBy(a => a.FirstAt)]);
            var start = new List<LiveEvent> { first };
            if (resumable) start.AddRange(_recent.Where(e => e.Id > lastEventId!.Value && filter.Matches(e.Alert!)));
            _subscriptions.Add(subscription);
            return start;
        }
    }

    public void Unsubscribe(LiveSubscription subscription)
    {
        lock (_gate) _subscriptions.Remove(subscription);
    }
}

/// <summary>One client's subscription: its filter and its queue of pushes, bounded so a slow client cannot grow memory.</summary>
public sealed class LiveSubscription(CheckedFilter filter, string caller, int capacity)
{
    private readonly Channel<IReadOnlyList<LiveEvent>> _pushes = Channel.CreateBounded<IReadOnlyList<LiveEvent>>(
        new BoundedChannelOptions(capacity) { SingleReader = true, SingleWriter = true, FullMode = BoundedChannelFullMode.Wait });

    public CheckedFilter Filter { get; } = filter;
    public string Caller { get; } = caller;

    /// <summary>False when the queue is full: the client is too far behind.</summary>
    public bool Offer(IReadOnlyList<LiveEvent> events) => _pushes.Writer.TryWrite(events);

    /// <summary>What is queued is still delivered, then the stream ends with <paramref name="reason"/>.</summary>
    public void End(Exception reason) => _pushes.Writer.TryComplete(reason);

    public IAsyncEnumerable<IReadOnlyList<LiveEvent>> Pushes(CancellationToken cancellationToken) => _pushes.Reader.ReadAllAsync(cancellationToken);
}
