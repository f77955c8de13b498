using Microsoft.Extensions.DependencyInjection;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Live;

namespace CommandCenter.Grains.Dispatch;

public sealed class IncidentGrain(IncidentStore store, LiveFeed feed, [FromKeyedServices(RuleClock.Key)] TimeProvider clock) : Grain, IIncidentGrain
{
    private Incident? _incident;

    private string Id => this.GetPrimaryKeyString();
    private DateTimeOffset Now => clock.GetUtcNow();

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _incident = await store.FindAsync(Id);
    }

    public Task<Incident?> Get() => Task.FromResult(_incident);

    public async Task<Incident> Open(IncidentDraft draft, string by)
    {
        if (_incident is not null) return _incident;
        var now = Now;
        var opened = $"opened: {draft.Type.Name()}, level {IncidentLevels.Name(draft.Level)}"
            + (draft.Alerts.Count > 0 ? $" from alert {string.Join(", ", draft.Alerts)}" : "");
        await Store(new Incident(Id, draft.Type, draft.Level, draft.Place, draft.Title, draft.Description, IncidentState.Open,
            now, by, draft.Alerts, draft.Cameras, [], [new TimelineEntry(now, by, opened)]));
        return _incident!;
    }

    public async Task<IncidentResult> ChangeLevel(int level, string by)
    {
        if (Refused() is { } refused) return refused;
        if (!IncidentLevels.IsValid(level)) return new(_incident, IncidentError.Invalid, "level must be I, II, III or IV");
        if (level == _incident!.Level) return new(_incident);
        var what = $"level {(level < _incident.Level ? "raised" : "lowered")} from {_incident.LevelName} to {IncidentLevels.Name(level)}";
        await Store(_incident with { Level = level, Timeline = [.. _incident.Timeline, new TimelineEntry(Now, by, what)] });
        return new(_incident);
    }

    public async Task<IncidentResult> Dispatch(IReadOnlyList<UnitChoice> units, string by)
    {
        if (Refused() is { } refused) return refused;
        var incident = _incident!;
        var now = Now;
        var given = new List<(UnitChoice Unit, UnitTask Task)>();
        foreach (var unit in units.DistinctBy(u => u.Id))
        {
            var task = new UnitTask($"t-{Guid.CreateVersion7():N}", Id, incident.Type, incident.Level, incident.Place, incident.Title, now);
            var outcome = await GrainFactory.GetGrain<IHandheldGrain>(unit.Id).Assign(task);
            if (outcome != AssignOutcome.Assigned)
            {
                // All or none: the units given the task so far are released before anyone hears of it.
                foreach (var (done, doneTask) in given) await GrainFactory.GetGrain<IHandheldGrain>(done.Id).Release(doneTask.CmdId, by);
                return outcome switch
                {
                    AssignOutcome.Offline => new(incident, IncidentError.Offline, $"unit {unit.Id} is offline"),
                    AssignOutcome.Busy => new(incident, IncidentError.Busy, $"unit {unit.Id} is not available"),
                    _ => new(incident, IncidentError.Unknown, $"unit {unit.Id} has never reported"),
                };
            }
            given.Add((unit, task));
        }
        // Units moved meanwhile (an acknowledgement may already have come in) keep their newer status.
        var current = _incident!;
        var listed = current.Units.Where(u => !given.Any(g => g.Unit.Id == u.Id)).ToList();
        listed.AddRange(given.Select(g => current.Units.FirstOrDefault(u => u.CmdId == g.Task.CmdId)
            ?? new IncidentUnit(g.Unit.Id, g.Unit.Name, UnitStatus.Dispatched, now, g.Task.CmdId, now)));
        var entries = given.Select(g => new TimelineEntry(now, by, $"dispatched {Label(g.Unit.Id, g.Unit.Name)}", g.Unit.Id));
        await Store(current with { Units = listed, Timeline = [.. current.Timeline, .. entries] });
        // Stored on both sides: now the handhelds may hear of it.
        foreach (var (unit, task) in given) await GrainFactory.GetGrain<IHandheldGrain>(unit.Id).SendTask(task.CmdId);
        return new(_incident);
    }

    public async Task<(IncidentResult, UnitMoveOutcome)> MoveUnit(string unitId, UnitStatus status, string by, string? key, string? note)
    {
        if (_incident is null) return (new(null, IncidentError.NotFound, $"no incident {Id}"), UnitMoveOutcome.NotItsTask);
        if (_incident.Units.All(u => u.Id != unitId)) return (new(_incident, IncidentError.Unknown, $"unit {unitId} was not sent to this incident"), UnitMoveOutcome.NotItsTask);
        var outcome = await GrainFactory.GetGrain<IHandheldGrain>(unitId).Move(new UnitMove(Id, status, by, key, note));
        return outcome switch
        {
            UnitMoveOutcome.NotItsTask => (new(_incident, IncidentError.Busy, $"unit {unitId} no longer works on this incident"), outcome),
            UnitMoveOutcome.Refused => (new(_incident, IncidentError.Invalid, $"unit {unitId} cannot move to {status.Name()} from where it stands"), outcome),
            _ => (new(_incident), outcome),
        };
    }

    public async Task<IncidentResult> Close(string report, string by)
    {
        if (Refused() is { } refused) return refused;
        var now = Now;
        // Released first: a crash in between leaves an open incident to close again, never a unit tied to a closed one.
        foreach (var unit in _incident!.Units.Where(u => u.Status.HasTask()))
            await GrainFactory.GetGrain<IHandheldGrain>(unit.Id).Release(unit.CmdId, by);
        var current = _incident!;
        var units = current.Units.Select(u => u.Status.HasTask() ? u with { Status = UnitStatus.Available, Since = now } : u).ToList();
        await Store(current with
        {
            State = IncidentState.Closed, ClosedAt = now, Report = report, Units = units,
            Timeline = [.. current.Timeline, new TimelineEntry(now, by, "closed with a report")],
        });
        return new(_incident);
    }

    public async Task UnitMoved(UnitMoved moved)
    {
        if (_incident is null) return;
        var units = _incident.Units.ToList();
        var index = units.FindIndex(u => u.CmdId == moved.CmdId);
        if (index < 0)
        {
            // A task the handheld holds but this record missed (a crash between the two writes of a dispatch):
            // the handheld's task is the truth, so the unit joins the incident.
            units.Add(new IncidentUnit(moved.UnitId, null, moved.Status, moved.At, moved.CmdId, moved.At, moved.NoAnswer));
        }
        else
        {
            var unit = units[index];
            units[index] = unit with
            {
                Status = moved.Status, Since = moved.Status == unit.Status ? unit.Since : moved.At, NoAnswer = moved.NoAnswer,
            };
        }
        await Store(_incident with { Units = units, Timeline = [.. _incident.Timeline, new TimelineEntry(moved.At, moved.By, moved.What, moved.UnitId)] });
    }

    private IncidentResult? Refused() => _incident switch
    {
        null => new(null, IncidentError.NotFound, $"no incident {Id}"),
        { IsOpen: false } => new(_incident, IncidentError.Closed, $"incident {Id} is closed"),
        _ => null,
    };

    private static string Label(string id, string? name) => name is { Length: > 0 } ? $"{id} ({name})" : id;

    /// <summary>
    /// Taken in memory before the write is awaited: <see cref="UnitMoved"/> interleaves with the other calls, and must
    /// build on this version, not on the one before it (the single writer keeps the writes in this order). A write
    /// that fails leaves memory ahead of the disk, so the grain is dropped and reloads from disk on its next call.
    /// </summary>
    private async Task Store(Incident incident)
    {
        _incident = incident;
        try
        {
            await store.SaveAsync(incident);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
        // The latest version: an interleaved change stored after this one must not be overtaken on the screens.
        feed.Publish(_incident);
    }
}
