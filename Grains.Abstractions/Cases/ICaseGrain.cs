namespace CommandCenter.Grains.Cases;

/// <summary>Why a step was refused: NotFound 404, Conflict 409 (not allowed in the case's state), Invalid 400, Forbidden 403.</summary>
public enum CaseError { None, NotFound, Conflict, Invalid, Forbidden }

/// <summary>A case after a step, or why the step was refused (nothing of it applied).</summary>
[GenerateSerializer, Immutable, Alias("case-result")]
public sealed record CaseResult(Case? Case, CaseError Error = CaseError.None, string? Detail = null)
{
    public bool Ok => Error == CaseError.None;
}

/// <summary>How an operator files a report: as a component (the code's serial is given out) or an event, of a category.</summary>
[GenerateSerializer, Immutable, Alias("case-filing")]
public sealed record CaseFiling(string? Category, string? Note);

/// <summary>Who acts, and as what: the grain checks a department user handles only the department's cases.</summary>
[GenerateSerializer, Immutable, Alias("case-actor")]
public sealed record CaseActor(string Name, string? Department = null);

/// <summary>
/// One case, keyed by its id, through the seven steps. Every step is written to the store (the case row and its
/// history line in one transaction) before it answers; a refused step changes nothing.
/// </summary>
public interface ICaseGrain : IGrainWithStringKey
{
    /// <summary>Creates the Reported case <see cref="CaseIntake"/> prepared; creating it again returns it unchanged.</summary>
    Task<Case> Create(Case prepared, string by);
    Task<Case?> Get();
    /// <summary>Reported → Filed, optionally under another category (a component gets its 16-digit code).</summary>
    Task<CaseResult> File(CaseFiling filing, CaseActor by);
    /// <summary>Reported → Cancelled: not a valid case (注销).</summary>
    Task<CaseResult> Cancel(string reason, CaseActor by);
    /// <summary>Filed → Dispatched to a department (the category's when null); the handling deadline starts.</summary>
    Task<CaseResult> Dispatch(string? department, string? verifier, string? note, CaseActor by);
    /// <summary>Dispatched or Returned → Handled: the department's feedback, with photos.</summary>
    Task<CaseResult> Handle(string note, IReadOnlyList<string> media, CaseActor by);
    /// <summary>Handled → Closed when the check on site passed, → Returned (rework, counted) when it failed.</summary>
    Task<CaseResult> Verify(bool passed, string? note, IReadOnlyList<string> media, CaseActor by);
    /// <summary>Handled → Closed by an operator.</summary>
    Task<CaseResult> Close(string? note, CaseActor by);
    /// <summary>The one evaluation of a closed case.</summary>
    Task<CaseResult> Evaluate(int score, string? comment, CaseActor by);
    /// <summary>A supervision note (督办) on an open case; its state stays.</summary>
    Task<CaseResult> Supervise(string note, CaseActor by);
    /// <summary>Gives a Dispatched or Returned case to another department; its state stays, its handling clock restarts.</summary>
    Task<CaseResult> Reassign(string department, string? note, CaseActor by);
    /// <summary>From the deadline watch: flags the warning and the overdue step when their time has come.</summary>
    Task CheckDeadline();
    /// <summary>
    /// Another report of the same problem (a second hotline call, a duplicate citizen report) merged into this open
    /// case: a line of its history, no new case; the state and deadlines stay.
    /// </summary>
    Task<CaseResult> AddReport(NewCase report, string by);
}
