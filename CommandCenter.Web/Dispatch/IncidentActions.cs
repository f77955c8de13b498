using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using CommandCenter.Grains.Live;
using CommandCenter.Web.Api;

namespace CommandCenter.Web.Dispatch;

/// <summary>
/// What an operator does on the incident board. The same grains and rules as the incidents API (same limits, same
/// nearest-unit order), called in process: a refused action comes back as an <see cref="IncidentResult"/> with its reason.
/// </summary>
public sealed class IncidentActions(IGrainFactory grains, AlertStore alerts, AlertActions alertActions, LiveBoard board, DeviceRegistry registry,
    CameraCoverage coverage)
{
    /// <summary>The roles that act on incidents from the board; others see it read-only.</summary>
    public const string Dispatchers = $"{Accounts.Roles.Admin},{Accounts.Roles.Operator}";

    /// <summary>Opens an incident at an alert's place with its cameras and the alert linked; the alert counts as acknowledged.</summary>
    public async Task<IncidentResult> OpenFromAlert(string alertId, IncidentType type, int level, string? title, string by)
    {
        if (!IncidentLevels.IsValid(level)) return Refused("level must be I, II, III or IV.");
        if (string.IsNullOrWhiteSpace(title) || title.Trim().Length > IncidentEndpoints.MaxTitle)
            return Refused($"The title must be 1-{IncidentEndpoints.MaxTitle} characters.");
        if (await alerts.FindAsync(alertId) is not { } alert) return Refused($"There is no alert '{alertId}'.");
        if (alert.Position is not { } place) return Refused("The alert has no place: open the incident through the API with lat and lon.");
        var id = IncidentIds.New();
        var draft = new IncidentDraft(type, level, place, title.Trim(), null, [alert.Id], alert.Cameras ?? []);
        var incident = await grains.GetGrain<IIncidentGrain>(id).Open(draft, by);
        if (alert.State == AlertState.ActiveUnacknowledged) await alertActions.Acknowledge(alert.Id, by);
        return new IncidentResult(incident);
    }

    /// <summary>
    /// Opens an incident from scratch (a phone call) at the place the operator set, with the cameras that see it linked;
    /// refused with the API's own reasons when a field is not what <c>POST /api/incidents</c> accepts.
    /// </summary>
    public async Task<IncidentResult> OpenFromScratch(IncidentType type, int level, double? lat, double? lon, string? title, string? description, string by)
    {
        if (!IncidentLevels.IsValid(level)) return Refused("level must be I, II, III or IV.");
        if (IncidentEndpoints.TitleProblem(title) is { } titleProblem) return Refused(titleProblem);
        if (string.IsNullOrWhiteSpace(description)) description = null;
        if (IncidentEndpoints.DescriptionProblem(description) is { } descriptionProblem) return Refused(descriptionProblem);
        if (lat is not { } latitude || lon is not { } longitude) return Refused("lat and lon are required: click the map or type them.");
        if (IncidentEndpoints.PlaceProblem(latitude, longitude) is { } placeProblem) return Refused(placeProblem);
        var place = new GeoPoint(latitude, longitude);
        var draft = new IncidentDraft(type, level, place, title!.Trim(), description, [], await CamerasSeeing(place));
        return new IncidentResult(await grains.GetGrain<IIncidentGrain>(IncidentIds.New()).Open(draft, by));
    }

    /// <summary>The cameras that see a place, as the video wall offers them.</summary>
    public Task<IReadOnlyList<string>> CamerasSeeing(GeoPoint place) => coverage.CamerasSeeing(place);

    /// <summary>The nearest unit that could be sent now, or null when none is available.</summary>
    public IncidentEndpoints.UnitOffer? Nearest(GeoPoint place) => IncidentEndpoints.Nearest(place, board, registry).FirstOrDefault();

    /// <summary>The nearest unit that could be sent to an incident now, leaving out the units it already engages.</summary>
    public IncidentEndpoints.UnitOffer? Nearest(Incident incident) => IncidentEndpoints.Nearest(incident, board, registry).FirstOrDefault();

    /// <summary>Sends the unit the operator was offered; the grain refuses it if it went offline or busy meanwhile.</summary>
    public async Task<IncidentResult> Dispatch(string incidentId, string unitId, string by)
    {
        if (registry.Find(unitId) is not { Kind: DeviceKind.Handheld } record) return Refused($"'{unitId}' is not a registered handheld.");
        return await grains.GetGrain<IIncidentGrain>(incidentId).Dispatch([new UnitChoice(unitId, record.Name)], by);
    }

    public Task<IncidentResult> ChangeLevel(string incidentId, int level, string by) =>
        IncidentLevels.IsValid(level)
            ? grains.GetGrain<IIncidentGrain>(incidentId).ChangeLevel(level, by)
            : Task.FromResult(Refused("level must be I, II, III or IV."));

    public Task<IncidentResult> Close(string incidentId, string? report, string by) =>
        string.IsNullOrWhiteSpace(report) || report.Length > IncidentEndpoints.MaxText
            ? Task.FromResult(Refused($"The report must be 1-{IncidentEndpoints.MaxText} characters."))
            : grains.GetGrain<IIncidentGrain>(incidentId).Close(report, by);

    private static IncidentResult Refused(string detail) => new(null, IncidentError.Invalid, detail);
}
