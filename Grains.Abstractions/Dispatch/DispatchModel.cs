using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.Dispatch;

/// <summary>The four classes of public emergency of the national emergency plan.</summary>
public enum IncidentType { NaturalDisaster, Accident, PublicHealth, SocialSafety }

public enum IncidentState { Open, Closed }

/// <summary>
/// Where a field inspector and their handheld stand in the dispatch workflow. Available and Unavailable
/// hold no task; every other status belongs to the one incident the unit was sent to.
/// </summary>
public enum UnitStatus { Available, Dispatched, Acknowledged, EnRoute, OnScene, Returning, Unavailable }

/// <summary>Levels I (特别重大, red) to IV (一般, blue): I is the gravest, so a lower number is a higher level.</summary>
public static class IncidentLevels
{
    public const int Gravest = 1;
    public const int Least = 4;

    private static readonly string[] Roman = ["I", "II", "III", "IV"];
    private static readonly string[] Colours = ["red", "orange", "yellow", "blue"];
    private static readonly string[] Chinese = ["特别重大", "重大", "较大", "一般"];

    public static bool IsValid(int level) => level is >= Gravest and <= Least;
    public static string Name(int level) => Roman[level - 1];
    public static string Colour(int level) => Colours[level - 1];
    public static string ChineseName(int level) => Chinese[level - 1];

    /// <summary>"I".."IV" (any case) or "1".."4".</summary>
    public static bool TryParse(string? text, out int level)
    {
        level = Array.FindIndex(Roman, r => string.Equals(r, text?.Trim(), StringComparison.OrdinalIgnoreCase)) + 1;
        if (level == 0 && int.TryParse(text, out var number)) level = number;
        return IsValid(level);
    }
}

public static partial class IncidentIds
{
    /// <summary>"inc-" and a version 7 GUID: unique without coordination, and sorted by when they were opened.</summary>
    public static string New() => $"inc-{Guid.CreateVersion7():N}";

    public static bool IsValid(string id) => Pattern().IsMatch(id);

    [System.Text.RegularExpressions.GeneratedRegex("^inc-[0-9a-f]{32}$")]
    private static partial System.Text.RegularExpressions.Regex Pattern();
}

public static class IncidentTypes
{
    /// <summary>natural-disaster, accident, public-health, social-safety: the names on the wire.</summary>
    public static string Name(this IncidentType type) => type switch
    {
        IncidentType.NaturalDisaster => "natural-disaster",
        IncidentType.Accident => "accident",
        IncidentType.PublicHealth => "public-health",
        _ => "social-safety",
    };

    public static bool TryParse(string? text, out IncidentType type)
    {
        foreach (var candidate in Enum.GetValues<IncidentType>())
            if (string.Equals(candidate.Name(), text, StringComparison.OrdinalIgnoreCase)) { type = candidate; return true; }
        type = default;
        return false;
    }
}

public static class UnitStatuses
{
    /// <summary>A unit in one of these is working on a task and is not offered for another.</summary>
    public static bool HasTask(this UnitStatus status) => status is not (UnitStatus.Available or UnitStatus.Unavailable);

    /// <summary>The name used on the wire and in the timeline: en-route, on-scene …</summary>
    public static string Name(this UnitStatus status) => status switch
    {
        UnitStatus.EnRoute => "en-route",
        UnitStatus.OnScene => "on-scene",
        _ => status.ToString().ToLowerInvariant(),
    };

    public static bool TryParse(string? text, out UnitStatus status)
    {
        foreach (var candidate in Enum.GetValues<UnitStatus>())
            if (string.Equals(candidate.Name(), text, StringComparison.OrdinalIgnoreCase)) { status = candidate; return true; }
        status = default;
        return false;
    }
}

/// <summary>What an operator gives to open an incident; the place, cameras and alerts are already resolved.</summary>
[GenerateSerializer, Immutable, Alias("incident-draft")]
public sealed record IncidentDraft(
    IncidentType Type, int Level, GeoPoint Place, string Title, string? Description,
    IReadOnlyList<string> Alerts, IReadOnlyList<string> Cameras);

/// <summary>One line of an incident's history: who did what, when. <see cref="Unit"/> names the unit it is about, if any.</summary>
[GenerateSerializer, Immutable, Alias("timeline-entry")]
public sealed record TimelineEntry(DateTimeOffset At, string By, string What, string? Unit = null);

/// <summary>A unit sent to an incident, with its latest status and since when it holds it (for "overdue" on the board).</summary>
/// <param name="NoAnswer">The task was sent and re-sent without an acknowledgement: the dispatcher should choose another unit.</param>
[GenerateSerializer, Immutable, Alias("incident-unit")]
public sealed record IncidentUnit(string Id, string? Name, UnitStatus Status, DateTimeOffset Since, string CmdId,
    DateTimeOffset DispatchedAt, bool NoAnswer = false);

[GenerateSerializer, Immutable, Alias("incident")]
public sealed record Incident(
    string Id,
    IncidentType Type,
    int Level,
    GeoPoint Place,
    string Title,
    string? Description,
    IncidentState State,
    DateTimeOffset OpenedAt,
    string OpenedBy,
    IReadOnlyList<string> Alerts,
    IReadOnlyList<string> Cameras,
    IReadOnlyList<IncidentUnit> Units,
    IReadOnlyList<TimelineEntry> Timeline,
    DateTimeOffset? ClosedAt = null,
    string? Report = null)
{
    public string LevelName => IncidentLevels.Name(Level);
    public string Colour => IncidentLevels.Colour(Level);
    public bool IsOpen => State == IncidentState.Open;
}

/// <summary>The task a handheld is given, as sent on its command topic (docs/device-contract.md, "Tasks").</summary>
[GenerateSerializer, Immutable, Alias("unit-task")]
public sealed record UnitTask(string CmdId, string IncidentId, IncidentType Type, int Level, GeoPoint Place, string Title,
    DateTimeOffset SentAt);

/// <summary>A unit's standing as its handheld grain keeps it: what the inspector's phone page shows.</summary>
/// <param name="Task">The current task; null when Available or Unavailable.</param>
/// <param name="NoAnswer">The task went unacknowledged after every send.</param>
[GenerateSerializer, Immutable, Alias("unit-state")]
public sealed record UnitState(UnitStatus Status, DateTimeOffset Since, UnitTask? Task = null, bool NoAnswer = false)
{
    public static readonly UnitState Initial = new(UnitStatus.Available, DateTimeOffset.MinValue);
}

/// <summary>
/// A unit's status moved by the dispatcher, the inspector's phone or the handheld itself.
/// <paramref name="Key"/> is the caller's idempotency key: the same key sent again (a phone re-sending its offline
/// queue) is answered without applying the move twice.
/// </summary>
[GenerateSerializer, Immutable, Alias("unit-move")]
public sealed record UnitMove(string IncidentId, UnitStatus Status, string By, string? Key = null, string? Note = null);

public enum UnitMoveOutcome
{
    Applied,
    /// <summary>The idempotency key, or the same status, was seen already: nothing changed.</summary>
    Repeated,
    /// <summary>The unit holds no task of this incident.</summary>
    NotItsTask,
    /// <summary>The move makes no sense from where the unit stands (e.g. Dispatched by hand).</summary>
    Refused,
}

public enum AssignOutcome { Assigned, Offline, Busy, Unknown }

/// <summary>What a handheld's acknowledgement of a command was to its grain.</summary>
public enum AnswerOutcome
{
    /// <summary>The answer to its current task: the unit moved.</summary>
    Applied,
    /// <summary>The current task was already answered.</summary>
    Repeated,
    /// <summary>Not the cmdId of its task.</summary>
    NotATask,
    /// <summary>A task is answered accepted or rejected; anything else changes nothing.</summary>
    Invalid,
}

/// <summary>A unit's move as the incident records it (sent by the handheld grain after it saved the move).</summary>
[GenerateSerializer, Immutable, Alias("unit-moved")]
public sealed record UnitMoved(string UnitId, string CmdId, UnitStatus Status, DateTimeOffset At, string By, string What,
    bool NoAnswer = false);

/// <summary>
/// Event types a handheld sends on <c>cc/handheld/{id}/event</c> to move its unit (docs/device-contract.md, "Tasks");
/// they raise no alert. Any other event type stays an alert, as before.
/// </summary>
public static class UnitEvents
{
    public const string EnRoute = "en-route";
    public const string OnScene = "on-scene";
    public const string Returning = "returning";
    /// <summary>The task is finished: the unit is available again.</summary>
    public const string Done = "done";
    /// <summary>The inspector starts their shift, or is back: available.</summary>
    public const string OnDuty = "on-duty";
    /// <summary>The inspector ends their shift: unavailable, not offered for tasks.</summary>
    public const string OffDuty = "off-duty";

    public static bool TryParse(string type, out UnitStatus status)
    {
        (var known, status) = type switch
        {
            EnRoute => (true, UnitStatus.EnRoute),
            OnScene => (true, UnitStatus.OnScene),
            Returning => (true, UnitStatus.Returning),
            Done or OnDuty => (true, UnitStatus.Available),
            OffDuty => (true, UnitStatus.Unavailable),
            _ => (false, default),
        };
        return known;
    }
}

/// <summary>A handheld's own report of its unit's status (a unit event on its event channel).</summary>
[GenerateSerializer, Immutable, Alias("unit-event")]
public sealed record UnitEvent(DateTimeOffset Ts, string Type, string? Text);
