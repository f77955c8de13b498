using CommandCenter.DeviceGateway.Registry;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Pollution;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

/// <summary>
/// Registering and retiring devices: who may connect to the broker as which device. A secret goes in and is
/// never given back; only its salted hash is kept.
/// </summary>
public static class DeviceRegistryEndpoints
{
    /// <summary>What the API says about a registered device: everything but its secret.</summary>
    public sealed record RegisteredDevice(string Id, string Kind, string? Name, double? Lat, double? Lon, string? District,
        bool HasSecret, DateTimeOffset RegisteredAt, DateTimeOffset UpdatedAt, string? Profile)
    {
        public static RegisteredDevice From(DeviceRecord d) =>
            new(d.Id, d.Kind.Name(), d.Name, d.Lat, d.Lon, d.District, d.HasSecret, d.RegisteredAt, d.UpdatedAt, d.Profile);
    }

    public static void MapDeviceRegistry(this RouteGroupBuilder api)
    {
        api.MapPut("/devices/{kind}/{id}", async (string kind, string id, DeviceRegistration body, DeviceRegistry registry, IGrainFactory grains,
            IOptions<PollutionOptions> pollution) =>
        {
            if (!DeviceKinds.TryParse(kind, out var deviceKind))
                return Results.Problem($"Unknown device kind '{kind}': handheld, sensor or camera.", statusCode: 404);
            if (body.Profile is { } profile && !pollution.Value.HasProfile(profile))
                return Results.Problem($"Unknown profile '{profile}': {string.Join(", ", pollution.Value.ProfileNames)}.", statusCode: 400);
            var result = await registry.Register(deviceKind, id, body);
            // The grain groups the device's offline alert by this district; a registration naming none leaves the grain alone.
            if (body.District is not null && result.Outcome is RegistrationOutcome.Created or RegistrationOutcome.Updated)
                await grains.Get(deviceKind, id).SetDistrict(result.Device!.District);
            // Likewise the sensor's profile: which limits judge it and whether it has an AQI.
            if (body.Profile is not null && result.Outcome is RegistrationOutcome.Created or RegistrationOutcome.Updated)
                await grains.GetGrain<ISensorGrain>(id).SetProfile(result.Device!.Profile);
            return result.Outcome switch
            {
                RegistrationOutcome.Created => Results.Created($"/api/devices/{kind}/{id}", RegisteredDevice.From(result.Device!)),
                RegistrationOutcome.Updated => Results.Ok(RegisteredDevice.From(result.Device!)),
                RegistrationOutcome.KindConflict => Results.Problem(
                    $"The id '{id}' is registered as a {result.Device!.Kind.Name()}; device ids are unique across kinds.", statusCode: 409),
                RegistrationOutcome.SecretRequired => Results.Problem("A new device needs a secret.", statusCode: 400),
                _ => Results.Problem(result.Error, statusCode: 400),
            };
        }).RequireScope(ApiScope.Admin);

        // For an external broker that signs devices in itself: mosquitto's password_file and acl_file from the registry.
        api.MapGet("/devices/mosquitto/passwd", (MosquittoExport export, HttpContext http) => File(http, export.PasswordFile()))
            .RequireScope(ApiScope.Admin);
        api.MapGet("/devices/mosquitto/acl", (MosquittoExport export, HttpContext http) => File(http, export.AclFile()))
            .RequireScope(ApiScope.Admin);

        api.MapDelete("/devices/{kind}/{id}", async (string kind, string id, DeviceRegistry registry, IGrainFactory grains) =>
        {
            if (!DeviceKinds.TryParse(kind, out var deviceKind) || await registry.Retire(deviceKind, id) is null) return Results.NotFound();
            // Retired devices fall silent by design: their grain stops watching, so no offline alert follows.
            await grains.Get(deviceKind, id).Retire();
            return Results.NoContent();
        }).RequireScope(ApiScope.Admin);
    }

    /// <summary>Password hashes are not for caches on the way.</summary>
    private static IResult File(HttpContext http, string text)
    {
        http.Response.Headers.CacheControl = "no-store";
        return Results.Text(text, "text/plain; charset=utf-8");
    }
}
