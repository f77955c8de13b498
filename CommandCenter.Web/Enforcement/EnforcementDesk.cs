using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using CommandCenter.Grains.Pollution;
using CommandCenter.Web.Dispatch;
using CommandCenter.Web.Intake;
using CommandCenter.Web.Video;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Enforcement;

/// <summary>The outcome of a decision attempt: the signed decision, or an HTTP status and why.</summary>
public sealed record DecisionResult(EnforcementDecision? Decision, int Status, string? Problem = null)
{
    public bool Ok => Decision is not null;
}

/// <summary>
/// The enforcement officer's work (docs/enforcement.md): the queue of undecided pollution alerts and the one final
/// decision on each, the same for the pages and the API.
/// </summary>
public sealed class EnforcementDesk(
    EnforcementStore store, AlertStore alerts, IncidentActions incidents, EvidenceCollector evidence, CaseIntake caseIntake,
    IOptions<IntakeOptions> intake, IOptions<CaseOptions> cases, IOptions<EnforcementOptions> options, TimeProvider clock, ILogger<EnforcementDesk> logger)
{
    public const int MaxReason = 1000;
    public const int MaxNote = 4000;

    // Decisions are rare and each may open an incident first: one at a time in this process is plenty, and makes
    // "is there a decision already?" and the side effects one step, so a second attempt never opens a second incident.
    private readonly SemaphoreSlim _deciding = new(1, 1);

    public Task<List<Alert>> QueueAsync() =>
        store.UndecidedAsync(clock.GetUtcNow() - options.Value.QueueClearedWithin, options.Value.QueueLimit);

    /// <summary>
    /// The rule of a sensor's exceedance alert (<c>a34004</c> for the run of readings, <c>a34004-24h</c> for the 24-h
    /// average), or null for any other alert.
    /// </summary>
    public static string? RuleOf(Alert alert) =>
        alert.Key.Kind == DeviceKind.Sensor && alert.Key.Type.StartsWith(SystemAlertTypes.ExceedancePrefix, StringComparison.Ordinal)
            ? alert.Key.Type[SystemAlertTypes.ExceedancePrefix.Length..]
            : null;

    /// <summary>The pollutant code of a sensor's exceedance alert, or null for any other alert.</summary>
    public static string? PollutantOf(Alert alert) => RuleOf(alert) is { } rule ? ExceedanceRules.CodeOf(rule) : null;

    /// <summary>
    /// The snapshots kept for the alert's cameras with their SHA-256, as the record database holds them (taken on
    /// whichever node ran the alert); the bytes are not read.
    /// </summary>
    public async Task<IReadOnlyList<EvidenceFile>> EvidenceOfAsync(Alert alert)
    {
        if (alert.Cameras is not { Count: > 0 } cameras) return [];
        var kept = await evidence.SnapshotsOfAsync(alert.Id);
        return [.. cameras.Distinct(StringComparer.Ordinal).Where(kept.ContainsKey).Select(camera => new EvidenceFile(camera, kept[camera].Sha256))];
    }

    public async Task<DecisionResult> DecideAsync(string alertId, string? decision, string? reason, string? note, string by)
    {
        if (!DecisionKinds.TryParse(decision, out var kind))
            return Refused(400, "decision must be confirmed-violation, false-alarm or inspection-needed.");
        reason = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        note = string.IsNullOrWhiteSpace(note) ? null : note.Trim();
        if (kind == DecisionKind.FalseAlarm && reason is null) return Refused(400, "A false alarm needs a reason (误报须填写原因).");
        if (reason?.Length > MaxReason) return Refused(400, $"reason must be at most {MaxReason} characters.");
        if (note?.Length > MaxNote) return Refused(400, $"note must be at most {MaxNote} characters.");
        if (await alerts.FindAsync(alertId) is not { } alert) return Refused(404, $"There is no alert '{alertId}'.");
        if (PollutantOf(alert) is not { } pollutant) return Refused(400, $"Alert '{alertId}' is not a pollution exceedance of a sensor.");

        await _deciding.WaitAsync();
        try
        {
            if (await store.FindAsync(alertId) is { } earlier) return AlreadyDecided(earlier);
            string? incidentId = null;
            if (kind == DecisionKind.InspectionNeeded)
            {
                var opened = await OpenInspection(alert, pollutant, by);
                if (!opened.Ok) return Refused(400, opened.Detail);
                incidentId = opened.Incident!.Id;
            }
            var caseId = kind == DecisionKind.ConfirmedViolation ? await OpenCase(alert, pollutant, by) : null;
            var draft = new EnforcementDecision(alert.Id, kind, reason, note, by, clock.GetUtcNow(), alert.Key.DeviceId, pollutant, RuleOf(alert)!,
                alert.Value, alert.Peak, alert.Limit, alert.Unit, alert.FirstAt, alert.ClearedAt, await EvidenceOfAsync(alert), null, caseId, incidentId);
            var written = await store.TryAddAsync(draft);
            if (written is null) return AlreadyDecided((await store.FindAsync(alertId))!);
            logger.LogInformation("Alert {Alert} decided {Decision} by {By} ({Record})", alert.Id, kind.Name(), by, written.RecordNumber ?? incidentId);
            return new DecisionResult(written, 201);
        }
        finally
        {
            _deciding.Release();
        }
    }

    /// <summary>
    /// An incident at the alert's place with the alert attached, and the nearest available unit tasked to it through
    /// dispatch; with no unit free the incident waits on the board for a dispatcher.
    /// </summary>
    private async Task<IncidentResult> OpenInspection(Alert alert, string pollutant, string by)
    {
        var title = $"现场核查 On-site inspection: {Pollutants.NameOf(pollutant)} at sensor {alert.Key.DeviceId}";
        if (title.Length > Api.IncidentEndpoints.MaxTitle) title = title[..Api.IncidentEndpoints.MaxTitle];
        var opened = await incidents.OpenFromAlert(alert.Id, IncidentType.PublicHealth, options.Value.InspectionIncidentLevel, title, by);
        if (!opened.Ok || alert.Position is not { } place) return opened;
        if (incidents.Nearest(place) is { } unit)
        {
            var sent = await incidents.Dispatch(opened.Incident!.Id, unit.Id, by);
            if (!sent.Ok) logger.LogWarning("Inspection incident {Incident}: unit {Unit} not sent: {Why}", opened.Incident.Id, unit.Id, sent.Detail);
        }
        return opened;
    }

    /// <summary>
    /// The case (立案) of a confirmed violation: source Alert, the violation category of <see cref="IntakeOptions"/> (the
    /// environment bureau's), at the sensor's place, the alert as its origin and its snapshots as media. Opened before
    /// the record is written, so the signed record names it; null (the record says pending) if it cannot be opened.
    /// </summary>
    private async Task<string?> OpenCase(Alert alert, string pollutant, string by)
    {
        var peak = alert.Peak ?? alert.Value;
        var description = $"超标排放 Pollution above the limit: {Pollutants.NameOf(pollutant)} at sensor {alert.Key.DeviceId}, "
            + $"peak {peak?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) ?? "—"} / limit {alert.Limit?.ToString("0.##", System.Globalization.CultureInfo.InvariantCulture) ?? "—"} {alert.Unit}, "
            + $"since {ChinaTime.Text(alert.FirstAt)}; alert {alert.Id}";
        var media = (await EvidenceOfAsync(alert)).Select(f => $"/evidence/{alert.Id}/{f.CameraId}.jpg").Take(cases.Value.MaxMedia).ToList();
        var report = new NewCase(CaseSource.Alert, intake.Value.ViolationCategory, description,
            alert.Position is null ? $"监测点 sensor {alert.Key.DeviceId}" : null, alert.Position, null, media, $"alert {alert.Id}");
        try
        {
            var opened = await caseIntake.ReportAsync(report, $"enforcement:{by}");
            if (opened.Ok) return opened.Case!.Id;
            logger.LogWarning("Alert {Alert}: the violation's case was refused: {Why}", alert.Id, opened.Detail);
        }
        catch (Exception e)
        {
            logger.LogError(e, "Alert {Alert}: the violation's case could not be opened", alert.Id);
        }
        return null;
    }

    private static DecisionResult AlreadyDecided(EnforcementDecision earlier) =>
        new(null, 409, $"Alert '{earlier.AlertId}' was already decided ({earlier.Decision.Name()}) by {earlier.DecidedBy} at {ChinaTime.Text(earlier.DecidedAt)}; decisions are final.");

    private static DecisionResult Refused(int status, string? problem) => new(null, status, problem);
}
