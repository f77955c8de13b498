using CommandCenter.DeviceGateway;
using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Live;
using CommandCenter.Web.Video;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

/// <summary>The HTTP API for outside screens and scripts; every route needs an API key holding the route's scope (read unless marked).</summary>
public static class ApiEndpoints
{
    public const int DefaultAlertLimit = 500;

    public static void MapApi(this IEndpointRouteBuilder app)
    {
        var api = app.MapGroup("/api").AddEndpointFilter<ApiKeyFilter>();

        // ?kind=, ?network= and ?online= narrow the list; a value that names nothing is a 400 listing the ones that do.
        api.MapGet("/devices", (LiveBoard board, string? kind, string? network, bool? online) =>
        {
            if (!DeviceListFilter.TryRead(kind, network, online, out var filter, out var problem))
                return Results.Problem(problem, statusCode: StatusCodes.Status400BadRequest, title: "Unknown filter value");
            return Results.Ok(board.Devices.Where(filter!.Matches).OrderBy(d => d.Kind).ThenBy(d => d.Id, StringComparer.Ordinal));
        });

        // The board's running counts: cheap to poll however many devices there are (a benchmark waits on them).
        api.MapGet("/devices/counts", (LiveBoard board) =>
            Enum.GetValues<DeviceKind>().ToDictionary(kind => kind.Name(), board.Count));

        api.MapGet("/devices/{kind}/{id}", async (string kind, string id, IGrainFactory grains,
            IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions> json) =>
        {
            if (!DeviceKinds.TryParse(kind, out var deviceKind))
                return Results.Problem($"Unknown device kind '{kind}': handheld, sensor or camera.", statusCode: 404);
            var device = await grains.Get(deviceKind, id).GetSnapshot();
            var known = device.LastSeen is not null || device.View is not null;
            if (!known) return Results.NotFound();
            return deviceKind == DeviceKind.Sensor ? Results.Ok(SensorAnswer.Of(device, json.Value.SerializerOptions)) : Results.Ok(device);
        });

        api.MapGet("/alerts", async (AlertStore alerts, string? state, int? limit) =>
            Enum.TryParse<AlertFilter>(state ?? nameof(AlertFilter.Active), ignoreCase: true, out var filter)
                ? Results.Ok(await alerts.ListAsync(filter, Math.Clamp(limit ?? DefaultAlertLimit, 1, 10_000)))
                : Results.Problem("state must be active, unacknowledged, acknowledged, cleared or all.", statusCode: 400));

        // One alert as the list gives it: its cameras, and the worst value since it opened (peak, peakAt).
        api.MapGet("/alerts/{id}", async (string id, AlertStore alerts) =>
            await alerts.FindAsync(id) is { } alert ? Results.Ok(alert) : UnknownAlert(id));

        // The devices an alert covers: the members of a district's grouped offline alert, or the alert's one device.
        api.MapGet("/alerts/{id}/devices", async (string id, AlertStore alerts, IGrainFactory grains) =>
        {
            if (await alerts.FindAsync(id) is not { } alert) return Results.NotFound();
            if (!Grains.Districts.DistrictOfflineKeys.TryParseGroup(alert.Key, out var district))
                return Results.Ok(new AlertDevices(alert.Id, alert.Key.Kind.Name(), null, 1, [alert.Key.DeviceId]));
            var offline = await grains.GetGrain<Grains.Districts.IDistrictOfflineGrain>(
                Grains.Districts.DistrictOfflineKeys.Of(alert.Key.Kind, district)).GetOffline();
            var devices = alert.IsActive ? offline.Grouped : [];
            return Results.Ok(new AlertDevices(alert.Id, alert.Key.Kind.Name(), district, devices.Count, devices));
        });

        api.MapPost("/alerts/{id}/acknowledge", async (string id, HttpContext http, AlertActions actions) =>
            await actions.Acknowledge(id, $"api:{http.Items[ApiKeyFilter.CallerItem]}") is { } alert ? Results.Ok(alert) : Results.NotFound())
            .RequireScope(ApiScope.Operate);

        // The dashboard's Clear button: the same action, recorded as cleared by the key's caller.
        api.MapPost("/alerts/{id}/clear", async (string id, HttpContext http, AlertActions actions, AlertStore alerts) =>
        {
            if (await alerts.FindAsync(id) is not { } alert) return UnknownAlert(id);
            if (!alert.IsActive || !await actions.Clear(id, $"api:{http.Items[ApiKeyFilter.CallerItem]}"))
                return Results.Problem($"The alert '{id}' is already cleared.", statusCode: StatusCodes.Status409Conflict, title: "Alert already cleared");
            return Results.Ok(await alerts.FindAsync(id));
        }).RequireScope(ApiScope.Operate);

        api.MapDeviceRegistry();
        api.MapDeviceCommands();
        api.MapIncidents();
        Cases.CaseEndpoints.MapCases(api);
        Phone.PhoneEndpoints.MapPhotos(api);

        api.MapPut("/cameras/{id}", async (string id, CameraSeed camera, IGrainFactory grains, CameraUrlPolicy policy, DeviceRegistry registry) =>
        {
            if (!CommandCenter.VideoRelay.Cameras.CameraIds.IsValid(id) || camera.Id != id)
                return Results.Problem("The camera id must match the URL and be letters, digits, '.', '_' or '-'.", statusCode: 400);
            if (policy.Check(camera.StreamUrl) is { } refused)
                return Results.Problem(refused, statusCode: 400);
            // Listed in the registry without a secret: it streams, but cannot speak MQTT until it is given one.
            if (!await registry.EnsureListed(DeviceKind.Camera, id, camera.Name, camera.Lat, camera.Lon))
                return Results.Problem($"The id '{id}' is registered as another kind of device.", statusCode: 409);
            await grains.GetGrain<ICameraGrain>(id).Register(camera.ToRegistration());
            return Results.NoContent();
        }).RequireScope(ApiScope.Admin);

        api.MapGet("/gateway/stats", (GatewayStats stats) => stats.Snapshot());
    }

    private static IResult UnknownAlert(string id) =>
        Results.Problem($"There is no alert '{id}'.", statusCode: StatusCodes.Status404NotFound, title: "Unknown alert");

    /// <summary>The devices an alert covers; <paramref name="District"/> is set for a district's grouped offline alert.</summary>
    public sealed record AlertDevices(string AlertId, string Kind, string? District, int Count, IReadOnlyList<string> Devices);
}
