using System.Collections.Concurrent;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Live;

public sealed class LiveOptions
{
    public const string Section = "Live";

    /// <summary>Changes are gathered and pushed to screens at most this often.</summary>
    public TimeSpan PushInterval { get; set; } = TimeSpan.FromMilliseconds(250);
}

/// <summary>A batch of what changed since the last push.</summary>
public sealed record LiveChanges(IReadOnlyList<DeviceSnapshot> Devices, IReadOnlyList<Alert> Alerts);

/// <summary>
/// The live picture held by this node for its screens: the latest snapshot of every device and
/// the alert feed. Grains publish into it on every change; screens receive the changes
/// coalesced, at most once per <see cref="LiveOptions.PushInterval"/>, so a device reporting
/// many times a second costs a dictionary write, not a render.
/// </summary>
public sealed class LiveBoard(AlertStore alerts, IOptions<LiveOptions> options, IOptions<AlertOptions> alertOptions,
    ILogger<LiveBoard> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, DeviceSnapshot> _devices = new();
    private readonly ConcurrentDictionary<string, Alert> _alerts = new();
    private readonly ConcurrentDictionary<string, bool> _changedDevices = new();
    private readonly ConcurrentDictionary<string, bool> _changedAlerts = new();

    public event Action<LiveChanges>? Changed;

    public ICollection<DeviceSnapshot> Devices => _devices.Values;
    public ICollection<Alert> Alerts => _alerts.Values;

    public DeviceSnapshot? Device(DeviceKind kind, string id) => _devices.GetValueOrDefault($"{kind.Name()}/{id}");

    public void Publish(DeviceSnapshot device)
    {
        _devices[device.Key] = device;
        _changedDevices[device.Key] = true;
    }

    public void Publish(Alert alert)
    {
        _alerts[alert.Id] = alert;
        _changedAlerts[alert.Id] = true;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        foreach (var alert in alerts.List(AlertFilter.Active, int.MaxValue)
                     .Concat(alerts.List(AlertFilter.Cleared, alertOptions.Value.FeedClearedAlerts)))
            _alerts.TryAdd(alert.Id, alert);
        using var timer = new PeriodicTimer(options.Value.PushInterval);
        while (await timer.WaitForNextTickAsync(stoppingToken))
        {
            if (_changedDevices.IsEmpty && _changedAlerts.IsEmpty) continue;
            var changes = new LiveChanges(Take(_changedDevices, _devices), Take(_changedAlerts, _alerts));
            if (changes.Alerts.Count > 0) ForgetOldClearedAlerts();
            try
            {
                Changed?.Invoke(changes);
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

    private void ForgetOldClearedAlerts()
    {
        var cleared = _alerts.Values.Where(a => !a.IsActive).ToList();
        var excess = cleared.Count - alertOptions.Value.FeedClearedAlerts;
        if (excess <= 0) return;
        foreach (var old in cleared.OrderBy(a => a.LastAt).Take(excess)) _alerts.TryRemove(old.Id, out _);
    }
}
