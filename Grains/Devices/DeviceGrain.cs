using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Districts;
using CommandCenter.Grains.Live;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Devices;

/// <summary>
/// Liveness shared by every kind of device: last seen, online/offline by silence (told to the device's
/// district, which raises the offline alert: one per device, or one for the district when many go dark), and when to write state (at once on a status or alert change, otherwise at most every
/// <see cref="DeviceOptions.StateSaveInterval"/>, so a reading costs no disk write).
/// </summary>
public abstract class DeviceGrain(
    IPersistentState<DeviceState> state,
    LiveFeed feed,
    IOptions<DeviceOptions> options,
    TimeProvider clock) : Grain, IDeviceGrain
{
    private IGrainTimer? _watchdog;
    private bool _dirty;
    private bool _saveAtOnce;
    private DateTimeOffset _savedAt;

    protected abstract DeviceKind Kind { get; }
    protected DeviceState State => state.State;
    protected string Id => this.GetPrimaryKeyString();
    protected DeviceOptions Options => options.Value;
    protected DateTimeOffset Now => clock.GetUtcNow();

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _savedAt = Now;
        if (State.Online) StartWatchdog();
        if (state.RecordExists) Publish();
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (_dirty) await Save();
    }

    public Task Watch() => Task.CompletedTask;

    public virtual async Task Retire()
    {
        _watchdog?.Dispose();
        _watchdog = null;
        if (State.OfflineAlertOpen) TellDistrict(offline: false, Now);
        await state.ClearStateAsync();
        _dirty = false;
        feed.Forget(Kind, Id);
        DeactivateOnIdle();
    }

    public async Task SetDistrict(string? district)
    {
        if (State.District == district) return;
        State.District = district;
        // Nothing a screen shows changed: written, not published.
        await Save();
    }

    public Task<DeviceSnapshot> GetSnapshot() => Task.FromResult(Snapshot());

    public virtual async Task ReportStatus(DeviceStatusReport status)
    {
        State.Position = status.Position ?? State.Position;
        if (status.Online)
        {
            await Heard();
            await Commit();
        }
        else
        {
            State.LastSeen = Now;
            await GoOffline("the device reported itself offline");
        }
    }

    public async Task ReportEvent(DeviceEvent deviceEvent)
    {
        await Heard();
        await AlertOf(deviceEvent.Type).Raise(new AlertCondition(
            deviceEvent.Ts, deviceEvent.Severity, deviceEvent.Text ?? $"{Kind.Name()} {Id}: {deviceEvent.Type}", State.Position));
        await Commit();
    }

    /// <summary>Any message from the device: it is alive. Coming back from offline is saved with this message.</summary>
    protected Task Heard()
    {
        State.LastSeen = Now;
        if (State.Online) return Task.CompletedTask;
        State.Online = true;
        SaveAtOnce();
        StartWatchdog();
        if (!State.OfflineAlertOpen) return Task.CompletedTask;
        State.OfflineAlertOpen = false;
        TellDistrict(offline: false, Now);
        return Task.CompletedTask;
    }

    /// <summary>
    /// A measurement older than the last one reported (a device replaying what it buffered, or one
    /// with a wrong clock). Until telemetry history exists it is not applied, so live state never
    /// moves backwards in time.
    /// </summary>
    protected bool IsLate(DateTimeOffset ts) => State.LastReport is { } last && ts < last;

    /// <summary>The message changed something that must not wait for the periodic save (status, an alert).</summary>
    protected void SaveAtOnce() => _saveAtOnce = true;

    /// <summary>Ends handling a message: screens see the change; disk sees it now or at the next periodic save.</summary>
    protected async Task Commit()
    {
        Publish();
        _dirty = true;
        if (_saveAtOnce) await Save();
    }

    protected async Task Save()
    {
        await state.WriteStateAsync();
        _dirty = false;
        _saveAtOnce = false;
        _savedAt = Now;
    }

    protected IAlertGrain AlertOf(string type) =>
        GrainFactory.GetGrain<IAlertGrain>(new AlertKey(Kind, Id, type).GrainKey);

    protected virtual IReadOnlyList<string> Exceeded => [];

    private DeviceSnapshot Snapshot() => State.SnapshotOf(Kind, Id, Exceeded);

    protected void Publish() => feed.Publish(Snapshot());

    private void StartWatchdog() => _watchdog ??= this.RegisterGrainTimer(CheckSilence,
        new GrainTimerCreationOptions(Options.OfflineCheckInterval, Options.OfflineCheckInterval) { KeepAlive = true });

    private async Task CheckSilence(CancellationToken cancellationToken)
    {
        if (State.Online && Now - State.LastSeen > Options.OfflineAfter)
            await GoOffline($"silent for more than {Options.OfflineAfter}");
        else if (_dirty && Now - _savedAt >= Options.StateSaveInterval)
            await Save();
    }

    private async Task GoOffline(string why)
    {
        _watchdog?.Dispose();
        _watchdog = null;
        State.Online = false;
        State.OfflineAlertOpen = true;
        State.OfflineDistrict = State.DistrictNow;
        await Save();
        Publish();
        var since = State.LastSeen?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'") ?? "never";
        TellDistrict(offline: true, Now, $"{Kind.Name()} {Id} offline: {why} (last heard {since})");
    }

    /// <summary>A queue write, not a grain call: a district going dark must not cost 100,000 calls and their timeouts.</summary>
    private void TellDistrict(bool offline, DateTimeOffset at, string? title = null) =>
        ServiceProvider.GetRequiredService<OfflineNotices>().Tell(Kind, State.DistrictToTell,
            new OfflineChange(Id, offline, at, State.Position, title));
}
