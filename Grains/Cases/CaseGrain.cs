using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Cases;

public sealed class CaseGrain(CaseStore store, CaseCategories categories, Departments departments, CaseDeadlineWatch watch,
    IOptions<CaseOptions> options, [FromKeyedServices(RuleClock.Key)] TimeProvider clock) : Grain, ICaseGrain
{
    private Case? _case;

    private string Id => this.GetPrimaryKeyString();
    private DateTimeOffset Now => clock.GetUtcNow();
    private CaseOptions Settings => options.Value;

    public override async Task OnActivateAsync(CancellationToken cancellationToken) => _case = await store.FindAsync(Id);

    public Task<Case?> Get() => Task.FromResult(_case);

    public async Task<Case> Create(Case prepared, string by)
    {
        if (_case is not null) return _case;
        var now = prepared.ReportedAt;
        var reported = Enter(prepared with { Id = Id, State = CaseState.Reported, UpdatedAt = now, History = [] }, CaseStep.File, now);
        await Store(reported, Event(reported, now, by, "report", null, CaseState.Reported, $"{prepared.Source}: {prepared.Category}"));
        return _case!;
    }

    public async Task<CaseResult> File(CaseFiling filing, CaseActor by)
    {
        if (Refused(CaseState.Filed) is { } refused) return refused;
        if (CaseChecks.Text(filing.Note, Settings.MaxNoteLength, "note") is { } bad) return Invalid(bad);
        var category = categories.Find(filing.Category ?? _case!.Category);
        if (category is null) return Invalid($"unknown category '{filing.Category}'");
        var current = _case!;
        string? code = null;
        if (category.Type == CaseType.Component)
        {
            if (current.District.Length != 6 || !current.District.All(char.IsAsciiDigit))
                return Invalid("a component case needs a position inside a known district for its 16-digit code");
            var prefix = $"{current.District}{category.Major}{category.Minor}";
            code = $"{prefix}{await store.NextComponentSerialAsync(prefix):D6}";
        }
        var now = Now;
        var changed = category.Code != current.Category;
        var filed = Leave(current, now) with
        {
            State = CaseState.Filed, Type = category.Type, Category = category.Code, ComponentCode = code, FiledAt = now,
            Department = changed ? category.Department : current.Department,
        };
        var note = JoinNote(category.Type == CaseType.Component ? $"component {code}" : $"event {category.Code}", filing.Note);
        return await Step(Enter(filed, CaseStep.Dispatch, now), by, "file", note);
    }

    public async Task<CaseResult> Cancel(string reason, CaseActor by)
    {
        if (Refused(CaseState.Cancelled) is { } refused) return refused;
        if (CaseChecks.Text(reason, Settings.MaxNoteLength, "reason", required: true) is { } bad) return Invalid(bad);
        var now = Now;
        return await Step(Finish(Leave(_case!, now) with { State = CaseState.Cancelled }), by, "cancel", reason);
    }

    public async Task<CaseResult> Dispatch(string? department, string? verifier, string? note, CaseActor by)
    {
        if (Refused(CaseState.Dispatched) is { } refused) return refused;
        if (CaseChecks.Text(note, Settings.MaxNoteLength, "note") is { } bad) return Invalid(bad);
        if (CaseChecks.Text(verifier, 100, "verifier") is { } badVerifier) return Invalid(badVerifier);
        var target = departments.Find(department ?? _case!.Department);
        if (target is null) return Invalid($"unknown department '{department ?? _case!.Department}'");
        var now = Now;
        var dispatched = Leave(_case!, now) with
        {
            State = CaseState.Dispatched, Department = target.Code, DispatchedAt = now,
            Verifier = string.IsNullOrWhiteSpace(verifier) ? _case!.Verifier : verifier.Trim(),
        };
        return await Step(Enter(dispatched, CaseStep.Handle, now), by, "dispatch", JoinNote($"to {target.Code}", note));
    }

    public async Task<CaseResult> Handle(string note, IReadOnlyList<string> media, CaseActor by)
    {
        if (Refused(CaseState.Handled) is { } refused) return refused;
        if (by.Department is { } own && !string.Equals(own, _case!.Department, StringComparison.OrdinalIgnoreCase))
            return new(_case, CaseError.Forbidden, $"case {Id} is with department {_case.Department}, not {own}");
        if (CaseChecks.Text(note, Settings.MaxNoteLength, "feedback", required: true) is { } bad) return Invalid(bad);
        if (CaseChecks.Media(media, Settings) is { } badMedia) return Invalid(badMedia);
        var now = Now;
        var handled = Leave(_case!, now) with { State = CaseState.Handled, HandledAt = now, FeedbackMedia = [.. _case!.FeedbackMedia, .. media] };
        return await Step(Enter(handled, CaseStep.Verify, now), by, "handle", JoinNote(note, media.Count > 0 ? string.Join(" ", media) : null));
    }

    public async Task<CaseResult> Verify(bool passed, string? note, IReadOnlyList<string> media, CaseActor by)
    {
        if (Refused(passed ? CaseState.Closed : CaseState.Returned) is { } refused) return refused;
        if (CaseChecks.Text(note, Settings.MaxNoteLength, "note", required: !passed) is { } bad) return Invalid(bad);
        if (CaseChecks.Media(media, Settings) is { } badMedia) return Invalid(badMedia);
        var now = Now;
        var details = JoinNote(note, media.Count > 0 ? string.Join(" ", media) : null);
        if (passed) return await Step(Finish(Leave(_case!, now) with { State = CaseState.Closed, ClosedAt = now }), by, "verify-passed", details);
        // A failed check sends the work back: the department's handling clock starts again, and it counts as rework.
        var returned = Leave(_case!, now) with { State = CaseState.Returned, ReworkCount = _case!.ReworkCount + 1 };
        return await Step(Enter(returned, CaseStep.Handle, now), by, "verify-failed", details);
    }

    public async Task<CaseResult> Close(string? note, CaseActor by)
    {
        if (Refused(CaseState.Closed) is { } refused) return refused;
        if (CaseChecks.Text(note, Settings.MaxNoteLength, "note") is { } bad) return Invalid(bad);
        var now = Now;
        return await Step(Finish(Leave(_case!, now) with { State = CaseState.Closed, ClosedAt = now }), by, "close", note);
    }

    public async Task<CaseResult> Evaluate(int score, string? comment, CaseActor by)
    {
        if (_case is null) return NotFound();
        if (_case.State != CaseState.Closed) return new(_case, CaseError.Conflict, $"case {Id} is {_case.State}; only a Closed case is evaluated");
        if (_case.Evaluation is not null) return new(_case, CaseError.Conflict, $"case {Id} is evaluated already");
        if (score is < 1 or > 5) return Invalid("score must be 1 to 5");
        if (CaseChecks.Text(comment, Settings.MaxNoteLength, "comment") is { } bad) return Invalid(bad);
        var now = Now;
        return await Step(_case with { Evaluation = new(score, comment, by.Name, now) }, by, "evaluate", JoinNote($"score {score}", comment));
    }

    public async Task<CaseResult> Supervise(string note, CaseActor by)
    {
        if (_case is null) return NotFound();
        if (!CaseSteps.IsOpen(_case.State)) return new(_case, CaseError.Conflict, $"case {Id} is {_case.State}; only an open case is supervised");
        if (CaseChecks.Text(note, Settings.MaxNoteLength, "note", required: true) is { } bad) return Invalid(bad);
        return await Step(_case, by, "supervise", note);
    }

    public async Task<CaseResult> Reassign(string department, string? note, CaseActor by)
    {
        if (_case is null) return NotFound();
        if (!CaseSteps.CanReassign(_case.State)) return new(_case, CaseError.Conflict, $"case {Id} is {_case.State}; only a Dispatched or Returned case is reassigned");
        if (CaseChecks.Text(note, Settings.MaxNoteLength, "note") is { } bad) return Invalid(bad);
        var target = departments.Find(department);
        if (target is null) return Invalid($"unknown department '{department}'");
        if (string.Equals(target.Code, _case.Department, StringComparison.OrdinalIgnoreCase)) return Invalid($"case {Id} is with {target.Code} already");
        var now = Now;
        var from = _case.Department;
        var moved = Leave(_case, now) with { Department = target.Code };
        return await Step(Enter(moved, CaseStep.Handle, now), by, "reassign", JoinNote($"from {from} to {target.Code}", note));
    }

    public async Task CheckDeadline()
    {
        if (_case is not { DueAt: { } due } current || !CaseSteps.IsOpen(current.State)) return;
        var now = Now;
        var warn = current.WarnAt ?? due;
        if (now >= due && !current.Overdue)
            await Store(current with { Warned = true, Overdue = true, UpdatedAt = now },
                Event(current, now, "system", "overdue", current.State, current.State, $"{current.Step} was due {due:u}"));
        else if (now >= warn && !current.Warned)
            await Store(current with { Warned = true, UpdatedAt = now },
                Event(current, now, "system", "warned", current.State, current.State, $"{current.Step} is due {due:u}"));
    }

    public async Task<CaseResult> AddReport(NewCase report, string by)
    {
        if (_case is null) return NotFound();
        if (!CaseSteps.IsOpen(_case.State)) return new(_case, CaseError.Conflict, $"case {Id} is {_case.State}; a report is merged only into an open case");
        if (CaseChecks.Text(report.Description, Settings.MaxDescriptionLength, "description", required: true) is { } bad) return Invalid(bad);
        if (CaseChecks.Media(report.Media, Settings) is { } badMedia) return Invalid(badMedia);
        var caller = report.Reporter is { } r ? string.Join(" ", new[] { r.Name, r.Phone, r.Email }.Where(t => !string.IsNullOrWhiteSpace(t))) : "";
        var note = $"{report.Source}{(caller.Length > 0 ? $" ({caller})" : "")}: {report.Description.Trim()}";
        if (note.Length > Settings.MaxNoteLength) note = note[..(Settings.MaxNoteLength - 1)] + "…";
        // The caller's photos join the case's, as far as the case's limit allows.
        var media = _case.Media.Concat(report.Media ?? []).Distinct().Take(Math.Max(Settings.MaxMedia, _case.Media.Count)).ToList();
        return await Step(_case with { Media = media }, new CaseActor(by), "merged-report", note);
    }

    /// <summary>Starts the deadline of <paramref name="step"/> from <paramref name="now"/>.</summary>
    private Case Enter(Case @case, CaseStep step, DateTimeOffset now)
    {
        var span = (categories.Find(@case.Category)?.Deadlines ?? new StepDeadlines()).Of(step);
        return @case with { DueAt = now + span, WarnAt = now + span * Settings.WarnAtFraction, Warned = false, Overdue = false };
    }

    /// <summary>Ends the running step; it counts as late if it was flagged or is finished after its deadline.</summary>
    private static Case Leave(Case @case, DateTimeOffset now)
    {
        var late = @case.Overdue || (@case.DueAt is { } due && now > due);
        return @case with { LateSteps = @case.LateSteps + (late ? 1 : 0), Overdue = false, Warned = false, DueAt = null, WarnAt = null };
    }

    private static Case Finish(Case @case) => @case with { DueAt = null, WarnAt = null };

    private async Task<CaseResult> Step(Case changed, CaseActor by, string action, string? note)
    {
        var now = Now;
        var line = Event(_case!, now, by.Name, action, _case!.State, changed.State, note);
        await Store(changed with { UpdatedAt = now }, line);
        return new(_case);
    }

    private static CaseEvent Event(Case before, DateTimeOffset at, string who, string action, CaseState? from, CaseState to, string? note) =>
        new(before.History.Count + 1, at, who, action, from, to, note);

    /// <summary>Memory follows the disk: a failed write drops the grain so it reloads what was stored.</summary>
    private async Task Store(Case changed, CaseEvent line)
    {
        var stored = changed with { History = [.. changed.History, line] };
        try
        {
            await store.SaveAsync(stored, [line]);
        }
        catch
        {
            DeactivateOnIdle();
            throw;
        }
        _case = stored;
        watch.Scheduled(stored);
    }

    private CaseResult? Refused(CaseState to) => _case is null ? NotFound()
        : CaseSteps.CanMove(_case.State, to) ? null
        : new(_case, CaseError.Conflict, $"case {Id} is {_case.State}; it cannot become {to}");

    private CaseResult NotFound() => new(null, CaseError.NotFound, $"no case {Id}");
    private CaseResult Invalid(string detail) => new(_case, CaseError.Invalid, detail);
    private static string? JoinNote(string? a, string? b) => string.IsNullOrWhiteSpace(b) ? a : string.IsNullOrWhiteSpace(a) ? b : $"{a}; {b}";
}
