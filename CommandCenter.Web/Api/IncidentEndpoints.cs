using System.Text.Json;
using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using CommandCenter.Grains.Live;

namespace CommandCenter.Web.Api;

/// <summary>The dispatch workflow (docs/dispatch.md): incidents, the units nearest to them, tasks, statuses, closing.</summary>
public static class IncidentEndpoints
{
    public const int MaxTitle = 200;
    public const int MaxText = 4000;
    public const int MaxUnitsPerDispatch = 20;

    public sealed record OpenRequest(string? Type, JsonElement? Level, double? Lat, double? Lon, string? Title, string? Description, string? AlertId);
    public sealed record LevelRequest(JsonElement? Level);
    public sealed record DispatchRequest(IReadOnlyList<string>? Units);
    public sealed record CloseRequest(string? Report);
    public sealed record UnitStatusRequest(string? Status, string? Note, string? Key);

    /// <summary>A unit that could be sent: online, available, with a known position.</summary>
    public sealed record UnitOffer(string Id, string? Name, double DistanceMeters, UnitStatus Status, DateTimeOffset? LastSeen, GeoPoint Position);

    public static void MapIncidents(this RouteGroupBuilder api)
    {
        var incidents = api.MapGroup("/incidents");
        // An id that cannot be an incident's is answered 404 without waking a grain for it.
        incidents.AddEndpointFilter(async (context, next) =>
            context.HttpContext.Request.RouteValues.TryGetValue("id", out var id) && id is string text && !IncidentIds.IsValid(text)
                ? NotFound(text)
                : await next(context));

        incidents.MapPost("", async (OpenRequest body, HttpContext http, AlertStore alerts, AlertActions alertActions, CameraCoverage coverage, IGrainFactory grains) =>
        {
            if (!IncidentTypes.TryParse(body.Type, out var type))
                return Bad("type must be natural-disaster, accident, public-health or social-safety.");
            if (!TryLevel(body.Level, out var level)) return Bad("level must be I, II, III or IV (or 1-4).");
            if (TitleProblem(body.Title) is { } titleProblem) return Bad(titleProblem);
            if (DescriptionProblem(body.Description) is { } descriptionProblem) return Bad(descriptionProblem);
            Alert? alert = null;
            if (body.AlertId is { } alertId && (alert = await alerts.FindAsync(alertId)) is null) return Bad($"There is no alert '{alertId}'.");
            GeoPoint place;
            if (body.Lat is { } lat && body.Lon is { } lon)
            {
                if (PlaceProblem(lat, lon) is { } placeProblem) return Bad(placeProblem);
                place = new GeoPoint(lat, lon);
            }
            else if (body.Lat is null && body.Lon is null && alert?.Position is { } alertPlace) place = alertPlace;
            else return Bad("lat and lon are required (they may be left out with an alertId whose alert has a place).");

            var by = Caller(http);
            var id = IncidentIds.New();
            var draft = new IncidentDraft(type, level, place, body.Title!.Trim(), body.Description, alert is null ? [] : [alert.Id],
                alert?.Cameras ?? await coverage.CamerasSeeing(place));
            var incident = await grains.GetGrain<IIncidentGrain>(id).Open(draft, by);
            // The alert is now being handled: it stops asking for an operator.
            if (alert is { State: AlertState.ActiveUnacknowledged }) await alertActions.Acknowledge(alert.Id, by);
            return Results.Created($"/api/incidents/{id}", incident);
        }).RequireScope(ApiScope.Operate);

        incidents.MapGet("", async (IncidentStore store, string? state, int? limit) =>
        {
            IncidentState? only = state?.ToLowerInvariant() switch
            {
                null or "open" => IncidentState.Open,
                "closed" => IncidentState.Closed,
                "all" => null,
                _ => (IncidentState)(-1),
            };
            return only is (IncidentState)(-1)
                ? Bad("state must be open, closed or all.")
                : Results.Ok(await store.ListAsync(only, Math.Clamp(limit ?? 500, 1, 10_000)));
        });

        incidents.MapGet("/{id}", async (string id, IGrainFactory grains) =>
            await grains.GetGrain<IIncidentGrain>(id).Get() is { } incident ? Results.Ok(incident) : NotFound(id));

        incidents.MapGet("/{id}/units", async (string id, int? limit, IGrainFactory grains, LiveBoard board, DeviceRegistry registry) =>
        {
            if (await grains.GetGrain<IIncidentGrain>(id).Get() is not { } incident) return NotFound(id);
            return Results.Ok(Nearest(incident, board, registry).Take(Math.Clamp(limit ?? 10, 1, 500)));
        });

        incidents.MapPost("/{id}/dispatch", async (string id, DispatchRequest body, HttpContext http, IGrainFactory grains, DeviceRegistry registry) =>
        {
            if (body.Units is not { Count: > 0 and <= MaxUnitsPerDispatch } units)
                return Bad($"units must list 1-{MaxUnitsPerDispatch} handheld ids.");
            var choices = new List<UnitChoice>();
            foreach (var unitId in units.Distinct(StringComparer.Ordinal))
            {
                if (unitId is null || !DeviceRegistry.IsValidId(unitId) || registry.Find(unitId) is not { Kind: DeviceKind.Handheld } record)
                    return Bad($"'{unitId}' is not a registered handheld.");
                choices.Add(new UnitChoice(unitId, record.Name));
            }
            return Answer(await grains.GetGrain<IIncidentGrain>(id).Dispatch(choices, Caller(http)));
        }).RequireScope(ApiScope.Operate);

        incidents.MapPost("/{id}/level", async (string id, LevelRequest body, HttpContext http, IGrainFactory grains) =>
            TryLevel(body.Level, out var level)
                ? Answer(await grains.GetGrain<IIncidentGrain>(id).ChangeLevel(level, Caller(http)))
                : Bad("level must be I, II, III or IV (or 1-4)."))
            .RequireScope(ApiScope.Operate);

        incidents.MapPost("/{id}/units/{unitId}/status", async (string id, string unitId, UnitStatusRequest body, HttpContext http, IGrainFactory grains) =>
        {
            if (!DeviceRegistry.IsValidId(unitId)) return Bad("The unit id must be 1-64 of A-Z a-z 0-9 . _ -.");
            if (!UnitStatuses.TryParse(body.Status, out var status) || status == UnitStatus.Dispatched)
                return Bad("status must be acknowledged, en-route, on-scene, returning, available or unavailable.");
            if (body.Note?.Length > MaxText) return Bad($"note must be at most {MaxText} characters.");
            if (body.Key is { Length: 0 or > 100 }) return Bad("key must be 1-100 characters.");
            var (result, _) = await grains.GetGrain<IIncidentGrain>(id).MoveUnit(unitId, status, Caller(http), body.Key, body.Note);
            return Answer(result);
        }).RequireScope(ApiScope.Operate);

        incidents.MapPost("/{id}/close", async (string id, CloseRequest body, HttpContext http, IGrainFactory grains) =>
            string.IsNullOrWhiteSpace(body.Report) || body.Report.Length > MaxText
                ? Bad($"report must be 1-{MaxText} characters.")
                : Answer(await grains.GetGrain<IIncidentGrain>(id).Close(body.Report, Caller(http))))
            .RequireScope(ApiScope.Operate);
    }

    // What an incident's title, description and place must be; the board's form checks with these too.

    public static string? TitleProblem(string? title) =>
        string.IsNullOrWhiteSpace(title) || title.Length > MaxTitle ? $"title must be 1-{MaxTitle} characters." : null;

    public static string? DescriptionProblem(string? description) =>
        description?.Length > MaxText ? $"description must be at most {MaxText} characters." : null;

    public static string? PlaceProblem(double lat, double lon) =>
        lat is < -90 or > 90 || lon is < -180 or > 180 || !double.IsFinite(lat) || !double.IsFinite(lon)
            ? "lat must be -90..90 and lon -180..180."
            : null;

    /// <summary>
    /// Units that can be sent, nearest first by great-circle distance from the live position: online handhelds whose
    /// unit is available. Offline, busy and off-duty units are not offered.
    /// </summary>
    public static IEnumerable<UnitOffer> Nearest(Incident incident, LiveBoard board, DeviceRegistry registry)
    {
        // The incident knows its own engaged units at once; the board learns of them a feed batch later.
        var engaged = incident.Units.Where(u => u.Status is not (UnitStatus.Available or UnitStatus.Unavailable))
            .Select(u => u.Id).ToHashSet(StringComparer.Ordinal);
        return Nearest(incident.Place, board, registry).Where(o => !engaged.Contains(o.Id));
    }

    public static IEnumerable<UnitOffer> Nearest(GeoPoint place, LiveBoard board, DeviceRegistry registry) =>
        board.EachDevice()
            .Where(d => d is { Kind: DeviceKind.Handheld, Online: true, Position: not null } && (d.Unit?.Status ?? UnitStatus.Available) == UnitStatus.Available)
            .Select(d => new UnitOffer(d.Id, registry.Find(d.Id)?.Name, Math.Round(d.Position!.Value.DistanceMetersTo(place), 1),
                UnitStatus.Available, d.LastSeen, d.Position.Value))
            .OrderBy(o => o.DistanceMeters).ThenBy(o => o.Id, StringComparer.Ordinal);

    private static bool TryLevel(JsonElement? level, out int value)
    {
        value = 0;
        return level switch
        {
            { ValueKind: JsonValueKind.Number } number => number.TryGetInt32(out value) && IncidentLevels.IsValid(value),
            { ValueKind: JsonValueKind.String } text => IncidentLevels.TryParse(text.GetString(), out value),
            _ => false,
        };
    }

    private static string Caller(HttpContext http) => $"api:{http.Items[ApiKeyFilter.CallerItem]}";

    private static IResult Bad(string detail) => Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest);

    private static IResult NotFound(string id) => Results.Problem($"There is no incident '{id}'.", statusCode: StatusCodes.Status404NotFound);

    private static IResult Answer(IncidentResult result) => result.Error switch
    {
        IncidentError.None => Results.Ok(result.Incident),
        IncidentError.NotFound => Results.Problem(result.Detail, statusCode: StatusCodes.Status404NotFound),
        IncidentError.Invalid => Bad(result.Detail!),
        _ => Results.Problem(result.Detail, statusCode: StatusCodes.Status409Conflict),
    };
}
