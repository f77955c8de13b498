using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.Cases;

/// <summary>
/// Where a case stands in the seven steps of GB/T 30428 (collect, file, dispatch, handle, feedback, verify and close,
/// evaluate). The names are the API's. Closed cases may still receive their one evaluation.
/// </summary>
public enum CaseState { Reported, Filed, Cancelled, Dispatched, Handled, Returned, Closed }

/// <summary>Who brought the problem in: an inspector's handheld, the 12319 hotline, a citizen app (Open311), an alert, a camera.</summary>
public enum CaseSource { Inspector, Hotline, Open311, Alert, Video }

/// <summary>部件 component (a thing of the city: a manhole cover, a lamp) or 事件 event (something happening: rubbish, parking).</summary>
public enum CaseType { Component, Event }

/// <summary>The steps that carry a deadline, in the order a case passes them.</summary>
public enum CaseStep { File, Dispatch, Handle, Verify }

/// <summary>Who reported the case, when a person did (hotline caller, citizen app user, inspector).</summary>
[GenerateSerializer, Immutable, Alias("case-reporter")]
public sealed record CaseReporter(string? Name, string? Phone, string? Email);

/// <summary>One line of a case's history: who did what, when, and the state before and after.</summary>
[GenerateSerializer, Immutable, Alias("case-event")]
public sealed record CaseEvent(int Seq, DateTimeOffset At, string Who, string Action, CaseState? From, CaseState To, string? Note = null);

/// <summary>The one evaluation of a closed case (综合评价 by the reporter or the centre): 1 to 5, with a comment.</summary>
[GenerateSerializer, Immutable, Alias("case-evaluation")]
public sealed record CaseEvaluation(int Score, string? Comment, string By, DateTimeOffset At);

/// <summary>A problem to report, from any source; <see cref="CaseIntake"/> checks it and makes it a Reported case.</summary>
[GenerateSerializer, Immutable, Alias("new-case")]
public sealed record NewCase(
    CaseSource Source,
    string Category,
    string Description,
    string? Address = null,
    GeoPoint? Position = null,
    CaseReporter? Reporter = null,
    IReadOnlyList<string>? Media = null,
    /// <summary>What the case came from outside the workflow: an alert id, a camera, an enforcement review.</summary>
    string? Origin = null);

/// <summary>
/// One case with everything the workflow knows of it. Times are UTC; <see cref="DueAt"/> is the deadline of the
/// step the case is in (none once cancelled or closed). <see cref="Overdue"/> is set while that step is past its
/// deadline; <see cref="LateSteps"/> counts the steps that ran late, so a case closes <see cref="OnTime"/> when none did.
/// </summary>
[GenerateSerializer, Immutable, Alias("case")]
public sealed record Case
{
    [Id(0)] public required string Id { get; init; }
    [Id(1)] public required CaseSource Source { get; init; }
    [Id(2)] public required CaseState State { get; init; }
    [Id(3)] public required CaseType Type { get; init; }
    [Id(4)] public required string Category { get; init; }
    /// <summary>16 digits for a filed component case: district 6 + major class 2 + minor class 2 + serial 6.</summary>
    [Id(5)] public string? ComponentCode { get; init; }
    [Id(6)] public required string Description { get; init; }
    [Id(7)] public string? Address { get; init; }
    [Id(8)] public GeoPoint? Position { get; init; }
    [Id(9)] public string? Grid { get; init; }
    [Id(10)] public required string District { get; init; }
    /// <summary>The department the case is (or will be) dispatched to: the category's default until an operator picks one.</summary>
    [Id(11)] public required string Department { get; init; }
    [Id(12)] public CaseReporter? Reporter { get; init; }
    [Id(13)] public IReadOnlyList<string> Media { get; init; } = [];
    /// <summary>Photos and notes of the department's feedback, the latest handling last.</summary>
    [Id(14)] public IReadOnlyList<string> FeedbackMedia { get; init; } = [];
    [Id(15)] public required DateTimeOffset ReportedAt { get; init; }
    [Id(16)] public DateTimeOffset? FiledAt { get; init; }
    [Id(17)] public DateTimeOffset? DispatchedAt { get; init; }
    [Id(18)] public DateTimeOffset? HandledAt { get; init; }
    [Id(19)] public DateTimeOffset? ClosedAt { get; init; }
    [Id(20)] public DateTimeOffset? DueAt { get; init; }
    /// <summary>When the current step has used 80 % (configurable) of its time: the warning moment.</summary>
    [Id(21)] public DateTimeOffset? WarnAt { get; init; }
    [Id(22)] public bool Warned { get; init; }
    [Id(23)] public bool Overdue { get; init; }
    [Id(24)] public int LateSteps { get; init; }
    [Id(25)] public int ReworkCount { get; init; }
    [Id(26)] public CaseEvaluation? Evaluation { get; init; }
    [Id(27)] public required DateTimeOffset UpdatedAt { get; init; }
    /// <summary>The inspector who verifies on site: the grid cell's, unless an operator assigned another.</summary>
    [Id(28)] public string? Verifier { get; init; }
    [Id(29)] public string? Origin { get; init; }
    [Id(30)] public IReadOnlyList<CaseEvent> History { get; init; } = [];

    /// <summary>Closed with no step late; null while the case is not closed.</summary>
    public bool? OnTime => State == CaseState.Closed ? LateSteps == 0 : null;

    /// <summary>The step whose deadline runs, or null when the case is finished.</summary>
    public CaseStep? Step => CaseSteps.StepOf(State);
}

/// <summary>The transitions of the seven steps; anything else is refused (409) and changes nothing.</summary>
public static class CaseSteps
{
    public static CaseStep? StepOf(CaseState state) => state switch
    {
        CaseState.Reported => CaseStep.File,
        CaseState.Filed => CaseStep.Dispatch,
        CaseState.Dispatched or CaseState.Returned => CaseStep.Handle,
        CaseState.Handled => CaseStep.Verify,
        _ => null,
    };

    public static bool CanMove(CaseState from, CaseState to) => (from, to) switch
    {
        (CaseState.Reported, CaseState.Filed or CaseState.Cancelled) => true,
        (CaseState.Filed, CaseState.Dispatched) => true,
        (CaseState.Dispatched or CaseState.Returned, CaseState.Handled) => true,
        (CaseState.Handled, CaseState.Closed or CaseState.Returned) => true,
        _ => false,
    };

    public static bool IsOpen(CaseState state) => state is not (CaseState.Cancelled or CaseState.Closed);

    /// <summary>A case may be given to another department while a department holds it.</summary>
    public static bool CanReassign(CaseState state) => state is CaseState.Dispatched or CaseState.Returned;
}

/// <summary>The wire names of sources and types (the enum names; kept in one place for the API and Open311).</summary>
public static class CaseNames
{
    public static bool TryParse<T>(string? text, out T value) where T : struct, Enum =>
        Enum.TryParse(text, ignoreCase: true, out value) && Enum.IsDefined(value) && !int.TryParse(text, out _);
}

public static partial class CaseIds
{
    /// <summary>"C", the city's date yyyyMMdd, and a serial of at least 6 digits.</summary>
    public static bool IsValid(string id) => Pattern().IsMatch(id);

    [System.Text.RegularExpressions.GeneratedRegex("^C[0-9]{14,16}$")]
    private static partial System.Text.RegularExpressions.Regex Pattern();
}
