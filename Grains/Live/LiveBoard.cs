using System.Collections.Concurrent;
using System.Diagnostics;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Live;

/// <summary>A batch of what changed since the last push.</summary>
public sealed record LiveChanges(IReadOnlyList<DeviceSnapshot> Devices, IReadOnlyList<Alert> Alerts)
{
    /// <summary>Keys (<see cref="DeviceSnapshot.Key"/>) of devices the board forgot; a screen drops them before it applies <see cref="Devices"/>.</summary>
    public IReadOnlyList<string> Forgotten { get; init; } = [];
    /// <summary>Incidents opened, changed or closed since the last push, each in full (units and timeline).</summary>
    public IReadOnlyList<Dispatch.Incident> Incidents { get; init; } = [];
}

/// <summary>How many devices of one kind the board holds, and how many of them are online.</summary>
public readonly record struct DeviceCount(int Online, int Total);

/// <summary>
/// The live picture held by this node for its screens: the latest snapshot of every device and
/// the alert feed. Grains publish into it on every change; screens receive device changes
/// coalesced, at most once per <see cref="LiveOptions.PushInterval"/>, so a device reporting
/// many times a second costs a dictionary write, not a render. An alert does not wait for that
/// batch: it wakes a push of the alerts alone.
/// </summary>
public sealed partial class LiveBoard(AlertStore alerts, Dispatch.IncidentStore incidents, IOptions<LiveOptions> options, IOptions<AlertOptions> alertOptions,
    ILogger<LiveBoard> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, DeviceSnapshot> _devices = new();
    private readonly ConcurrentDictionary<string, Alert> _alerts = new();
    private readonly ConcurrentDictionary<string, bool> _changedDevices = new();
    private readonly ConcurrentDictionary<string, bool> _changedAlerts = new();
    private readonly ConcurrentDictionary<string, bool> _forgotten = new();
    private readonly ConcurrentDictionary<string, Dispatch.Incident> _incidents = new();
    private readonly ConcurrentDictionary<string, bool> _changedIncidents = new();
    // An alert wakes the push loop at once instead of waiting for the next device batch: an operator should see an
    // alarm as soon as it is raised, while device changes keep coalescing. At most one wake-up is ever pending.
    private readonly SemaphoreSlim _alertRaised = new(0, 1);
    // Counts kept as devices change, so a screen's summary costs nothing however many devices there are.
    // The lock pairs each snapshot swap with its count change; it is held for a dictionary write.
    private readonly Lock _counting = new();
    private readonly int[] _online = new int[Enum.GetValues<DeviceKind>().Length];
    private readonly int[] _total = new int[Enum.GetValues<DeviceKind>().Length];

    public event Action<LiveChanges>? Changed;

    public ICollection<DeviceSnapshot> Devices => _devices.Values;
    public ICollection<Alert> Alerts => _alerts.Values;

    /// <summary>Every device, read without locking or copying the board: for screens that scan it on each push.</summary>
    public IEnumerable<DeviceSnapshot> EachDevice() => _devices.Select(entry => entry.Value);

    /// <summary>Every alert in the feed, read without locking or copying the board.</summary>
    public IEnumerable<Alert> EachAlert() => _alerts.Select(entry => entry.Value);

    /// <summary>Open incidents; a closed one stays until its closing has been pushed to the screens.</summary>
    public ICollection<Dispatch.Incident> Incidents => _incidents.Values;

    public DeviceSnapshot? Device(DeviceKind kind, string id) => _devices.GetValueOrDefault(KeyOf(kind, id));

    public DeviceCount Count(DeviceKind kind)
    {
        lock (_counting) return new DeviceCount(_online[(int)kind], _total[(int)kind]);
    }

    public void Publish(DeviceSnapshot device)
    {
        // Marked before the write: a catch-up that has not written yet sees it and leaves the device alone.
        _catchUp?.Devices.TryAdd(device.Key, true);
        lock (_counting)
        {
            if (_devices.TryGetValue(device.Key, out var old)) Tally(old, -1);
            _devices[device.Key] = device;
            Tally(device, +1);
        }
        _changedDevices[device.Key] = true;
    }

    /// <summary>
    /// A device as it was last stored (loaded at start-up): taken only when its grain has not published a fresher
    /// snapshot already.
    /// </summary>
    public bool PublishStored(DeviceSnapshot device)
    {
        lock (_counting)
        {
            if (!_devices.TryAdd(device.Key, device)) return false;
            Tally(device, +1);
        }
        _changedDevices[device.Key] = true;
        return true;
    }

    /// <summary>
    /// Drops a device from the live picture, e.g. when it is retired: screens remove it with the next push.
    /// Its alerts stay in the feed until they are cleared; a device heard again comes back.
    /// </summary>
    public bool Forget(DeviceKind kind, string id)
    {
        var key = KeyOf(kind, id);
        _catchUp?.Devices.TryAdd(key, true);
        lock (_counting)
        {
            if (!_devices.TryRemove(key, out var old)) return false;
            Tally(old, -1);
        }
        _changedDevices.TryRemove(key, out _);
        _forgotten[key] = true;
        return true;
    }

    private static string KeyOf(DeviceKind kind, string id) => $"{kind.Name()}/{id}";

    private void Tally(DeviceSnapshot device, int step)
    {
        _total[(int)device.Kind] += step;
        if (device.Online) _online[(int)device.Kind] += step;
    }

    public void Publish(Alert alert)
    {
        _catchUp?.Alerts.TryAdd(alert.Id, true);
        _alerts[alert.Id] = alert;
        _changedAlerts[alert.Id] = true;
        WakeForAlert();
    }

    /// <summary>The alert was written before this, so the push it wakes (or one already pending) takes it.</summary>
    private void WakeForAlert()
    {
        if (_alertRaised.CurrentCount > 0) return;
        try
        {
            _alertRaised.Release();
        }
        catch (SemaphoreFullException)
        {
            // Another alert woke the loop in the same instant; one wake-up takes both.
        }
    }

    public void Publish(Dispatch.Incident incident)
    {
        _catchUp?.Incidents.TryAdd(incident.Id, true);
        _incidents[incident.Id] = incident;
        _changedIncidents[incident.Id] = true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var incident in await incidents.ListAsync(Dispatch.IncidentState.Open, int.MaxValue)) _incidents.TryAdd(incident.Id, incident);
        foreach (var alert in (await alerts.ListAsync(AlertFilter.Active, int.MaxValue))
                     .Concat(await alerts.ListAsync(AlertFilter.Cleared, alertOptions.Value.FeedClearedAlerts)))
            _alerts.TryAdd(alert.Id, alert);
        await Task.Factory.StartNew(() => PushLoop(stoppingToken), stoppingToken, TaskCreationOptions.LongRunning, TaskScheduler.Default);
    }

    /// <summary>
    /// On a thread of its own: under load the thread pool's queue holds thousands of device messages, and a push (or an
    /// alert's wake-up) waiting behind them is a screen lagging behind its devices.
    /// </summary>
    private void PushLoop(CancellationToken stoppingToken)
    {
        var interval = options.Value.PushInterval;
        // Alerts alone are pushed no more often than this, so that a storm of them (a district going dark) still
        // reaches the screens in a few batches rather than one push per alert.
        var alertGap = TimeSpan.FromTicks(Math.Min(interval.Ticks / 5, MaxAlertGap.Ticks));
        var nextBatch = Stopwatch.GetTimestamp() + Ticks(interval);
        while (!stoppingToken.IsCancellationRequested)
        {
            var untilBatch = Stopwatch.GetElapsedTime(Stopwatch.GetTimestamp(), nextBatch);
            var woken = untilBatch > TimeSpan.Zero && _alertRaised.Wait(untilBatch, stoppingToken);
            var now = Stopwatch.GetTimestamp();
            var batchDue = now >= nextBatch;
            if (batchDue) nextBatch = Math.Max(nextBatch + Ticks(interval), now + Ticks(alertGap));
            Push(batchDue);
            if (woken && !batchDue) stoppingToken.WaitHandle.WaitOne(alertGap);
        }
    }

    private static readonly TimeSpan MaxAlertGap = TimeSpan.FromMilliseconds(50);

    private static long Ticks(TimeSpan span) => (long)(span.TotalSeconds * Stopwatch.Frequency);

    /// <param name="withDevices">Whether devices, forgotten devices and incidents go too (the batch every push interval), or only alerts.</param>
    private void Push(bool withDevices)
    {
        if (_changedAlerts.IsEmpty && (!withDevices || (_changedDevices.IsEmpty && _forgotten.IsEmpty && _changedIncidents.IsEmpty))) return;
        var changes = withDevices
            ? new LiveChanges(Take(_changedDevices, _devices), Take(_changedAlerts, _alerts))
            {
                Forgotten = TakeKeys(_forgotten), Incidents = Take(_changedIncidents, _incidents),
            }
            : new LiveChanges([], Take(_changedAlerts, _alerts));
        // A closed incident is pushed once, so boards drop it; the board itself keeps only open ones.
        foreach (var closed in changes.Incidents.Where(i => !i.IsOpen)) _incidents.TryRemove(closed.Id, out _);
        if (changes.Alerts.Count > 0) ForgetOldClearedAlerts();
        Deliver(changes);
    }

    /// <summary>
    /// Each screen and listener on its own: one that throws is logged and the others still get the changes
    /// (a multicast call would stop at the first exception).
    /// </summary>
    private void Deliver(LiveChanges changes)
    {
        if (Changed is not { } listeners) return;
        foreach (var listener in listeners.GetInvocationList().Cast<Action<LiveChanges>>())
        {
            try
            {
                listener(changes);
            }
            catch (Exception e)
            {
                logger.LogError(e, "A live screen failed to take changes");
            }
        }
    }

    /// <summary>Removing each key before reading its latest value means a change racing the push is sent next time, never lost.</summary>
    private static List<T> Take<T>(ConcurrentDictionary<string, bool> changed, ConcurrentDictionary<string, T> latest)
    {
        var taken = new List<T>();
        foreach (var key in changed.Keys)
            if (changed.TryRemove(key, out _) && latest.TryGetValue(key, out var value)) taken.Add(value);
        return taken;
    }

    private static List<string> TakeKeys(ConcurrentDictionary<string, bool> keys)
    {
        var taken = new List<string>();
        foreach (var key in keys.Keys)
            if (keys.TryRemove(key, out _)) taken.Add(key);
        return taken;
    }

    private void ForgetOldClearedAlerts()
    {
        var cleared = _alerts.Values.Where(a => !a.IsActive).ToList();
        var excess = cleared.Count - alertOptions.Value.FeedClearedAlerts;
        if (excess <= 0) return;
        foreach (var old in cleared.OrderBy(a => a.LastAt).Take(excess)) _alerts.TryRemove(old.Id, out _);
    }
}
