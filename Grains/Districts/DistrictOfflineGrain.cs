using Microsoft.Extensions.DependencyInjection;
using System.Globalization;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Districts;

/// <summary>
/// Holds the offline devices of one kind in one district in memory only: after a restart the host tells each district
/// again which of its devices storage holds as offline (see <see cref="DeviceWatch"/>), which rebuilds the set.
/// </summary>
public sealed class DistrictOfflineGrain(
    IOptions<AlertOptions> alerts, IOptions<DeviceOptions> devices, [FromKeyedServices(RuleClock.Key)] TimeProvider clock) : Grain, IDistrictOfflineGrain
{
    private OfflineGrouping _grouping = null!;
    private DeviceKind _kind;
    private string _district = "";
    private IGrainTimer? _ticker;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var slash = key.IndexOf('/');
        if (slash < 0 || !DeviceKinds.TryParse(key[..slash], out _kind)) throw new FormatException($"Not a district key: '{key}'");
        _district = key[(slash + 1)..];
        _grouping = new OfflineGrouping(alerts.Value.GroupOfflineAbove, alerts.Value.GroupOfflineWindow)
        {
            GroupOpen = await AlertOf(DistrictOfflineKeys.GroupDeviceId(_district), SystemAlertTypes.OfflineDistrict).GetCurrent() is not null,
        };
    }

    public Task Apply(IReadOnlyList<OfflineChange> changes)
    {
        var now = clock.GetUtcNow();
        foreach (var change in changes) _grouping.Apply(change, now);
        // The timer keeps the grain, and so the set it holds, alive while anything is offline.
        _ticker ??= this.RegisterGrainTimer(Tick, new GrainTimerCreationOptions(TickInterval, TickInterval) { KeepAlive = true });
        return Task.CompletedTask;
    }

    public Task<DistrictOffline> GetOffline() => Task.FromResult(new DistrictOffline(
        _district, _kind, [.. _grouping.Grouped], [.. _grouping.Single.Order(StringComparer.Ordinal)], _grouping.Waiting));

    /// <summary>Often enough that a window closes at most a fifth late; group updates are coalesced to this pace.</summary>
    private TimeSpan TickInterval => TimeSpan.FromTicks(Math.Max(alerts.Value.GroupOfflineWindow.Ticks / 5, TimeSpan.FromMilliseconds(100).Ticks));

    private async Task Tick(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        var actions = _grouping.Step(now);
        // A handful of calls at most: the rule raises single alerts only while the district has few devices offline.
        foreach (var change in actions.Raise)
            await AlertOf(change.DeviceId, SystemAlertTypes.Offline).Raise(new AlertCondition(
                change.At, devices.Value.OfflineSeverity, change.Title ?? $"{_kind.Name()} {change.DeviceId} offline", change.Position));
        foreach (var id in actions.Clear) await AlertOf(id, SystemAlertTypes.Offline).Clear(now, "device");
        if (actions.GroupChanged) await UpdateGroup(now);
        if (_grouping.IsIdle)
        {
            _ticker?.Dispose();
            _ticker = null;
        }
    }

    private async Task UpdateGroup(DateTimeOffset now)
    {
        var group = AlertOf(DistrictOfflineKeys.GroupDeviceId(_district), SystemAlertTypes.OfflineDistrict);
        var count = _grouping.Grouped.Count;
        if (count == 0)
        {
            await group.Clear(now, "devices");
            return;
        }
        var n = count.ToString("N0", CultureInfo.InvariantCulture);
        await group.Raise(new AlertCondition(now, devices.Value.OfflineSeverity,
            $"{DistrictMap.Describe(_district)}: {n} {_kind.Name()}s offline / {n} 台设备离线",
            DistrictMap.CentreOf(_district), Value: count, Unit: "devices"));
    }

    private IAlertGrain AlertOf(string deviceId, string type) =>
        GrainFactory.GetGrain<IAlertGrain>(new AlertKey(_kind, deviceId, type).GrainKey);
}
