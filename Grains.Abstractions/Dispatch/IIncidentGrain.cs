using Orleans.Concurrency;

namespace CommandCenter.Grains.Dispatch;

public enum IncidentError { None, NotFound, Closed, Busy, Offline, Unknown, Invalid }

/// <summary>An incident after a change, or why the change was refused (nothing of it applied).</summary>
[GenerateSerializer, Immutable, Alias("incident-result")]
public sealed record IncidentResult(Incident? Incident, IncidentError Error = IncidentError.None, string? Detail = null)
{
    public bool Ok => Error == IncidentError.None;
}

/// <summary>A unit the dispatcher chose, with the inspector's name from the device registry.</summary>
[GenerateSerializer, Immutable, Alias("unit-choice")]
public sealed record UnitChoice(string Id, string? Name);

/// <summary>One incident, keyed by its id: its record, level, units and timeline. Every change is stored before it returns.</summary>
public interface IIncidentGrain : IGrainWithStringKey
{
    /// <summary>Opens the incident under this grain's id; opening it again returns it unchanged.</summary>
    Task<Incident> Open(IncidentDraft draft, string by);
    Task<Incident?> Get();
    Task<IncidentResult> ChangeLevel(int level, string by);
    /// <summary>
    /// Gives each unit the task, all or none: a unit offline, busy or never heard refuses the whole dispatch and
    /// the units already given it are released. The tasks are sent once every unit holds its task on disk.
    /// </summary>
    Task<IncidentResult> Dispatch(IReadOnlyList<UnitChoice> units, string by);
    /// <summary>Moves one of its units (the dispatcher by hand, or the inspector's phone) through its handheld grain.</summary>
    Task<(IncidentResult Result, UnitMoveOutcome Outcome)> MoveUnit(string unitId, UnitStatus status, string by, string? key, string? note);
    /// <summary>Closes with a report; units still on it become available.</summary>
    Task<IncidentResult> Close(string report, string by);

    /// <summary>
    /// From a handheld grain, after it saved a move of its unit. It may come while this grain waits on that handheld
    /// (a dispatch crossing an acknowledgement), so it interleaves rather than deadlock; it only records.
    /// </summary>
    [AlwaysInterleave]
    Task UnitMoved(UnitMoved moved);
}
