using System.Globalization;
using System.Text;
using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Pollution;
using CommandCenter.Web.Accounts;
using CommandCenter.Web.Api;
using Microsoft.Extensions.Localization;

namespace CommandCenter.Web.Enforcement;

/// <summary>
/// The enforcement API (docs/enforcement.md). It takes the sign-in cookie, not API keys: a decision is signed by a
/// person. A cross-site form cannot post JSON (the route answers anything else 415) and a cross-site script cannot
/// send it without a CORS grant, so the cookie alone cannot be abused to decide.
/// </summary>
public static class EnforcementEndpoints
{
    /// <summary>Who may look at the queue, the evidence and the records.</summary>
    public const string Viewers = $"{Roles.EnforcementOfficer},{Roles.Admin}";
    /// <summary>Who may decide.</summary>
    public const string Deciders = Roles.EnforcementOfficer;
    public const int MaxListed = 10_000;

    public sealed record DecisionRequest(string? Decision, string? Reason, string? Note);

    public static IServiceCollection AddEnforcement(this IServiceCollection services)
    {
        services.AddOptions<EnforcementOptions>().BindConfiguration(EnforcementOptions.Section)
            .Validate(o => o.IsValid(), $"{EnforcementOptions.Section}: QueueClearedWithin must not be negative, QueueLimit 1..10000, InspectionIncidentLevel 1..4")
            .ValidateOnStart();
        services.AddSingleton<EnforcementStore>();
        services.AddSingleton<EnforcementDesk>();
        services.AddSingleton<Sensors.SensorLimits>();
        return services;
    }

    public static void MapEnforcement(this IEndpointRouteBuilder app)
    {
        var enforcement = app.MapGroup("/api/enforcement").AddEndpointFilter(RoleFilter(Viewers));

        enforcement.MapGet("/queue", async (EnforcementDesk desk) => (await desk.QueueAsync()).Select(QueueItem.Of));

        enforcement.MapPost("/{alertId}/decision", async (string alertId, DecisionRequest body, HttpContext http, EnforcementDesk desk) =>
        {
            var result = await desk.DecideAsync(alertId, body.Decision, body.Reason, body.Note, http.User.Identity!.Name!);
            return result.Ok
                ? Results.Created($"/api/enforcement/decisions/{alertId}", result.Decision)
                : Results.Problem(result.Problem, statusCode: result.Status);
        }).AddEndpointFilter(RoleFilter(Deciders));

        enforcement.MapGet("/decisions", async (EnforcementStore store, int? limit) =>
            await store.ListAsync(Math.Clamp(limit ?? 500, 1, MaxListed)));

        enforcement.MapGet("/decisions/{alertId}", async (string alertId, EnforcementStore store) =>
            await store.FindAsync(alertId) is { } decision
                ? Results.Ok(decision)
                : Results.Problem($"Alert '{alertId}' has no decision.", statusCode: StatusCodes.Status404NotFound));

        enforcement.MapGet("/decisions.csv", async (EnforcementStore store, ApiTime time, IStringLocalizer<EnforcementText> text) =>
            Results.File(DecisionsCsv.Write(await store.ListAsync(MaxListed), time, text.Decision), "text/csv; charset=utf-8", "enforcement-decisions.csv"));

        enforcement.MapGet("/noisy", async (EnforcementStore store, int? limit) =>
            await store.NoisyAsync(Math.Clamp(limit ?? 50, 1, 1000)));

        // For scripts and wall screens with an API key: a sensor's exceedance periods, the chart's shaded spans.
        app.MapGroup("/api").AddEndpointFilter<ApiKeyFilter>()
            .MapGet("/sensors/{id}/alerts", (string id, string? pollutant, string? from, string? to, EnforcementStore store) =>
                SensorAlerts(id, pollutant, from, to, store));
        // The same for the dashboard's own chart script, which holds the sign-in cookie instead of a key.
        app.MapGet("/sensors/{id}/alert-periods", (string id, string? pollutant, string? from, string? to, EnforcementStore store) =>
            SensorAlerts(id, pollutant, from, to, store)).RequireAuthorization();
    }

    /// <summary>One alert in the queue, with what an officer scans the list for.</summary>
    public sealed record QueueItem(string AlertId, string SensorId, string Pollutant, string Rule, string PollutantName, double? Value, double? Peak, double? Limit,
        string? Unit, AlertSeverity Severity, AlertState State, DateTimeOffset FirstAt, DateTimeOffset LastAt, DateTimeOffset? ClearedAt)
    {
        public static QueueItem Of(Alert alert)
        {
            var pollutant = EnforcementDesk.PollutantOf(alert)!;
            return new QueueItem(alert.Id, alert.Key.DeviceId, pollutant, EnforcementDesk.RuleOf(alert)!, Pollutants.NameOf(pollutant), alert.Value, alert.Peak, alert.Limit, alert.Unit,
                alert.Severity, alert.State, alert.FirstAt, alert.LastAt, alert.ClearedAt);
        }
    }

    /// <summary>An exceedance as a span of time: from raised to cleared, or to null while still open.</summary>
    public sealed record AlertPeriod(string Id, string Pollutant, string Rule, AlertSeverity Severity, DateTimeOffset From, DateTimeOffset? To, double? Value, double? Limit);

    private static async Task<IResult> SensorAlerts(string id, string? pollutant, string? from, string? to, EnforcementStore store)
    {
        if (!DeviceRegistry.IsValidId(id)) return Results.Problem("The sensor id must be 1-64 of A-Z a-z 0-9 . _ -.", statusCode: 400);
        if (!TryTime(to, DateTimeOffset.UtcNow, out var end) || !TryTime(from, end - TimeSpan.FromDays(1), out var start) || start > end)
            return Results.Problem("from and to must be ISO 8601 times (e.g. 2026-12-01T08:00:00+08:00), from before to.", statusCode: 400);
        var alerts = await store.OfSensorAsync(id, start, end, MaxListed);
        return Results.Ok(alerts
            .Select(a => (Alert: a, Pollutant: EnforcementDesk.PollutantOf(a)!))
            .Where(a => pollutant is null || a.Pollutant == pollutant)
            .Select(a => new AlertPeriod(a.Alert.Id, a.Pollutant, EnforcementDesk.RuleOf(a.Alert)!, a.Alert.Severity, a.Alert.FirstAt, a.Alert.ClearedAt, a.Alert.Value, a.Alert.Limit)));
    }

    private static bool TryTime(string? text, DateTimeOffset fallback, out DateTimeOffset at)
    {
        at = fallback;
        return text is null || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out at);
    }

    /// <summary>401 without a sign-in, 403 without one of <paramref name="roles"/>, as problem details rather than a redirect.</summary>
    private static Func<EndpointFilterInvocationContext, EndpointFilterDelegate, ValueTask<object?>> RoleFilter(string roles)
    {
        var allowed = roles.Split(',');
        return (context, next) =>
        {
            var user = context.HttpContext.User;
            if (user.Identity is not { IsAuthenticated: true })
                return ValueTask.FromResult<object?>(Results.Problem("Sign in first.", statusCode: StatusCodes.Status401Unauthorized));
            if (!allowed.Any(user.IsInRole))
                return ValueTask.FromResult<object?>(Results.Problem($"Only {string.Join(" or ", allowed)} may do this.",
                    statusCode: StatusCodes.Status403Forbidden, title: "Not allowed for this role"));
            return next(context);
        };
    }
}

/// <summary>
/// The decisions as CSV for Excel (<see cref="ExcelCsv"/>). The header and the <c>decision</c> column are stable
/// machine names for scripts; <c>decision_label</c> is for people and follows the request's language.
/// </summary>
public static class DecisionsCsv
{
    private static readonly string[] Header =
    [
        "record_number", "alert_id", "decision", "decision_label", "reason", "note", "decided_by", "decided_at",
        "sensor_id", "pollutant", "rule", "value", "peak", "limit", "unit", "alert_first_at", "alert_cleared_at", "incident_id", "case", "evidence", "digest",
    ];

    public static byte[] Write(IEnumerable<EnforcementDecision> decisions, ApiTime? time = null, Func<DecisionKind, string>? label = null)
    {
        time ??= ApiTime.Default;
        label ??= DecisionKinds.Name;
        return ExcelCsv.Write(Header, decisions.Select(d => new string?[]
        {
            d.RecordNumber, d.AlertId, d.Decision.Name(), label(d.Decision), d.Reason, d.Note, d.DecidedBy, time.CsvText(d.DecidedAt),
            d.SensorId, d.Pollutant, d.Rule, Number(d.Value), Number(d.Peak), Number(d.Limit), d.Unit, time.CsvText(d.AlertFirstAt), time.CsvText(d.AlertClearedAt),
            d.IncidentId, d.CaseStatus, string.Join(' ', d.Evidence.Select(e => $"{e.CameraId}:{e.Sha256}")), d.Digest,
        }));
    }

    private static string? Number(double? value) => value?.ToString("0.###", CultureInfo.InvariantCulture);
}
