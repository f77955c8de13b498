using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Live;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Alerts;

public sealed class AlertGrain(AlertStore store, LiveFeed feed, CameraCoverage coverage, IOptions<AlertOptions> options) : Grain, IAlertGrain
{
    private Alert? _current;
    private bool _dirty;
    private IGrainTimer? _flush;

    private AlertKey _key;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _key = AlertKey.Parse(this.GetPrimaryKeyString());
        _current = await store.FindOpenAsync(_key);
    }

    public override Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken) => Flush();

    public Task<Alert?> GetCurrent() => Task.FromResult(_current);

    public async Task<Alert> Raise(AlertCondition condition)
    {
        if (_current is null)
        {
            await Store(new Alert(Guid.CreateVersion7().ToString("N"), _key, _key.Kind.Network(), condition.Severity,
                AlertState.ActiveUnacknowledged, condition.Title, condition.Position, condition.At, condition.At, 1,
                condition.Value, condition.Limit, condition.Unit, null, null, null, null,
                condition.Position is { } place ? await coverage.CamerasSeeing(place) : [],
                condition.Peak, condition.PeakAt));
            return _current!;
        }
        var severity = condition.SeverityFollows || condition.Severity > _current.Severity ? condition.Severity : _current.Severity;
        // A change of severity, either way, is saved and shown at once.
        var severityChanged = severity != _current.Severity;
        var repeated = _current with
        {
            Severity = severity,
            Peak = condition.Peak ?? _current.Peak,
            PeakAt = condition.PeakAt ?? _current.PeakAt,
            Title = condition.Title,
            Position = condition.Position ?? _current.Position,
            LastAt = condition.At > _current.LastAt ? condition.At : _current.LastAt,
            Occurrences = _current.Occurrences + 1,
            Value = condition.Value,
        };
        if (severityChanged)
        {
            await Store(repeated);
        }
        else
        {
            _current = repeated;
            _dirty = true;
            feed.Publish(repeated);
            _flush ??= this.RegisterGrainTimer(_ => Flush(),
                new GrainTimerCreationOptions(options.Value.RepeatSaveInterval, options.Value.RepeatSaveInterval));
        }
        return _current;
    }

    public async Task Clear(DateTimeOffset at, string by)
    {
        if (_current is null) return;
        await Store(_current with { State = AlertState.Cleared, ClearedAt = at, ClearedBy = by });
        _current = null;
    }

    public async Task<bool> ClearByHand(string alertId, string by)
    {
        if (_current is null || _current.Id != alertId) return false;
        await Clear(DateTimeOffset.UtcNow, by);
        return true;
    }

    public async Task<Alert?> Acknowledge(string alertId, string by)
    {
        if (_current is null || _current.Id != alertId) return null;
        if (_current.State == AlertState.ActiveUnacknowledged)
            await Store(_current with { State = AlertState.Acknowledged, AcknowledgedBy = by, AcknowledgedAt = DateTimeOffset.UtcNow });
        return _current;
    }

    private async Task Store(Alert alert)
    {
        await store.SaveAsync(alert);
        _current = alert;
        _dirty = false;
        feed.Publish(alert);
    }

    private async Task Flush()
    {
        if (_dirty && _current is not null) await store.SaveAsync(_current);
        _dirty = false;
    }
}
