using Microsoft.Extensions.DependencyInjection;
using CommandCenter.Grains.Dispatch;
using CommandCenter.Grains.Live;
using Microsoft.Extensions.Options;

using CommandCenter.Grains.Storage;

namespace CommandCenter.Grains.Devices;

/// <summary>
/// A field inspector's handheld (城管通): where it is, how much battery is left, and the inspector's unit status and
/// task in the dispatch workflow. The task is kept here with the unit, so whoever moves the unit — the dispatcher,
/// the phone page, the handheld — meets one record, and a task stored unanswered is sent again when the grain wakes
/// after a restart (start-up wakes the devices with such work to resume).
/// </summary>
[GrainType("handheld")]
public sealed class HandheldGrain(
    [PersistentState(DeviceWatch.StateName, StorageNames.State)] IPersistentState<DeviceState> state,
    LiveFeed feed,
    IOptions<DeviceOptions> options,
    IOptions<DispatchOptions> dispatch,
    ITaskSender tasks,
    [FromKeyedServices(RuleClock.Key)] TimeProvider clock) : DeviceGrain(state, feed, options, clock), IHandheldGrain
{
    protected override DeviceKind Kind => DeviceKind.Handheld;

    private UnitState Unit => State.Unit ?? UnitState.Initial;
    private string Me => $"handheld:{Id}";

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        await base.OnActivateAsync(cancellationToken);
        if (Unit is { Status: UnitStatus.Dispatched, NoAnswer: false, Task: { } task }) tasks.Send(Id, task);
    }

    public async Task<ReportOutcome> Report(HandheldFix fix)
    {
        await Heard();
        if (IsLate(fix.Ts))
        {
            await Commit();
            return ReportOutcome.Late;
        }
        State.LastReport = fix.Ts;
        State.Position = fix.Position;
        State.Battery = fix.Battery;
        if (Unit is { Status: UnitStatus.Acknowledged or UnitStatus.EnRoute, Task: { } task }
            && fix.Position.DistanceMetersTo(task.Place) <= dispatch.Value.ArrivalRadiusMeters)
        {
            await Apply(task, UnitStatus.OnScene, "position", $"{Id} on scene (within {dispatch.Value.ArrivalRadiusMeters:0} m)");
            return ReportOutcome.Applied;
        }
        await Commit();
        return ReportOutcome.Applied;
    }

    public Task<UnitState> GetUnit() => Task.FromResult(Unit);

    public async Task<AssignOutcome> Assign(UnitTask task)
    {
        if (State.LastSeen is null) return AssignOutcome.Unknown;
        if (!State.Online) return AssignOutcome.Offline;
        if (Unit.Status != UnitStatus.Available) return AssignOutcome.Busy;
        State.Unit = new UnitState(UnitStatus.Dispatched, Now, task);
        SaveAtOnce();
        await Commit();
        return AssignOutcome.Assigned;
    }

    public Task SendTask(string cmdId)
    {
        if (Unit is { Status: UnitStatus.Dispatched, Task: { } task } && task.CmdId == cmdId) tasks.Send(Id, task);
        return Task.CompletedTask;
    }

    public async Task Release(string cmdId, string by)
    {
        if (Unit.Task?.CmdId != cmdId) return;
        State.Unit = new UnitState(UnitStatus.Available, Now);
        SaveAtOnce();
        await Commit();
    }

    public async Task<AnswerOutcome> Answer(string cmdId, string result, string? text)
    {
        await Heard();
        if (Unit.Task is not { } task || task.CmdId != cmdId)
        {
            await Commit();
            return State.AnsweredCmdId == cmdId ? AnswerOutcome.Repeated : AnswerOutcome.NotATask;
        }
        if (Unit.Status != UnitStatus.Dispatched)
        {
            await Commit();
            return AnswerOutcome.Repeated;
        }
        var note = string.IsNullOrWhiteSpace(text) ? "" : $": {text}";
        switch (result)
        {
            case "accepted":
                State.AnsweredCmdId = cmdId;
                await Apply(task, UnitStatus.Acknowledged, Me, $"{Id} accepted the task{note}");
                return AnswerOutcome.Applied;
            case "rejected":
                State.AnsweredCmdId = cmdId;
                await Apply(task, UnitStatus.Available, Me, $"{Id} rejected the task{note}: choose another unit");
                return AnswerOutcome.Applied;
            default:
                await Commit();
                return AnswerOutcome.Invalid;
        }
    }

    public async Task Unanswered(string cmdId)
    {
        if (Unit is not { Status: UnitStatus.Dispatched, NoAnswer: false, Task: { } task } || task.CmdId != cmdId) return;
        await Apply(task, UnitStatus.Dispatched, "command-center",
            $"no answer from {Id} after {dispatch.Value.Attempts} sends: choose another unit", noAnswer: true);
    }

    public async Task<UnitMoveOutcome> Move(UnitMove move)
    {
        if (move.Key is { } key && State.MoveKeys.Contains(key)) return UnitMoveOutcome.Repeated;
        if (Unit.Task is not { } task || task.IncidentId != move.IncidentId) return UnitMoveOutcome.NotItsTask;
        if (move.Status == UnitStatus.Dispatched) return UnitMoveOutcome.Refused;
        if (move.Status == Unit.Status) return UnitMoveOutcome.Repeated;
        if (move.Key is { } newKey)
        {
            State.MoveKeys.Add(newKey);
            if (State.MoveKeys.Count > dispatch.Value.RememberedMoveKeys) State.MoveKeys.RemoveAt(0);
        }
        var note = string.IsNullOrWhiteSpace(move.Note) ? "" : $": {move.Note}";
        await Apply(task, move.Status, move.By, $"{Id} {Describe(move.Status)}{note}");
        return UnitMoveOutcome.Applied;
    }

    public async Task<UnitMoveOutcome> ReportUnitEvent(UnitEvent unitEvent)
    {
        await Heard();
        if (!UnitEvents.TryParse(unitEvent.Type, out var status))
        {
            await Commit();
            return UnitMoveOutcome.Refused;
        }
        var outcome = await ReportUnitStatus(unitEvent, status);
        if (outcome != UnitMoveOutcome.Applied) await Commit();
        return outcome;
    }

    private async Task<UnitMoveOutcome> ReportUnitStatus(UnitEvent unitEvent, UnitStatus status)
    {
        if (unitEvent.Type is UnitEvents.OnDuty or UnitEvents.OffDuty)
        {
            // A shift starts or ends between tasks only; a task is finished (done) or handed back by the dispatcher.
            if (Unit.Status.HasTask()) return UnitMoveOutcome.Refused;
            if (Unit.Status == status) return UnitMoveOutcome.Repeated;
            State.Unit = new UnitState(status, Now);
            SaveAtOnce();
            await Commit();
            return UnitMoveOutcome.Applied;
        }
        if (Unit.Task is not { } task) return UnitMoveOutcome.NotItsTask;
        // An inspector who sets off before the acknowledgement arrived has answered by setting off.
        if (Unit.Status == status) return UnitMoveOutcome.Repeated;
        var note = string.IsNullOrWhiteSpace(unitEvent.Text) ? "" : $": {unitEvent.Text}";
        await Apply(task, status, Me, $"{Id} {Describe(status)}{note}");
        return UnitMoveOutcome.Applied;
    }

    private static string Describe(UnitStatus status) => status switch
    {
        UnitStatus.Acknowledged => "accepted the task",
        UnitStatus.EnRoute => "en route",
        UnitStatus.OnScene => "on scene",
        UnitStatus.Returning => "returning",
        UnitStatus.Available => "done, available",
        UnitStatus.Unavailable => "unavailable",
        _ => status.Name(),
    };

    /// <summary>Moves the unit, saves it, then has its incident record the move on the timeline.</summary>
    private async Task Apply(UnitTask task, UnitStatus status, string by, string what, bool noAnswer = false)
    {
        var now = Now;
        State.Unit = status.HasTask()
            ? new UnitState(status, status == Unit.Status ? Unit.Since : now, task, noAnswer)
            : new UnitState(status, now);
        SaveAtOnce();
        await Commit();
        await GrainFactory.GetGrain<IIncidentGrain>(task.IncidentId)
            .UnitMoved(new UnitMoved(Id, task.CmdId, status, now, by, what, noAnswer));
    }
}
