using System.Text.Json;
using System.Text.Json.Serialization;
using CommandCenter.DeviceGateway;
using CommandCenter.Grains;
using CommandCenter.ServiceDefaults;
using CommandCenter.Web.Accounts;
using CommandCenter.Web.Api;
using CommandCenter.Web.Cases;
using CommandCenter.Web.Components;
using CommandCenter.Web.Dispatch;
using CommandCenter.Web.CaseStatistics;
using CommandCenter.Web.Cluster;
using CommandCenter.Web.Enforcement;
using CommandCenter.Web.History;
using CommandCenter.Web.Intake;
using CommandCenter.Web.LiveHub;
using CommandCenter.Web.Map;
using CommandCenter.Web.Localization;
using CommandCenter.Web.Open311;
using CommandCenter.Web.Phone;
using CommandCenter.Web.Pictures;
using CommandCenter.Web.RateLimiting;
using CommandCenter.Web.Security;
using CommandCenter.Web.Video;

namespace CommandCenter.Web;

public static class Extensions
{
    /// <summary>The whole command center in this process: silo, device gateway, accounts, dashboard and API.</summary>
    public static void AddCommandCenter(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        // Serve the dashboard's assets straight from a build as well as from a publish, in every environment.
        builder.WebHost.UseStaticWebAssets();
        builder.AddServiceDefaults();
        var traced = builder.ExportsTelemetry();
        var orleans = configuration.GetSection(OrleansOptions.Section).Get<OrleansOptions>() ?? new();
        builder.UseOrleans(silo => silo
            .AddCommandCenterGrains(configuration)
            .UseCommandCenterCluster(configuration, orleans)
            // Grain calls become spans only while traces are exported; otherwise no call pays for it.
            .AddActivityPropagationWhen(traced));

        var services = builder.Services;
        services.AddDeviceGateway(configuration);
        services.AddVideo(configuration);
        services.AddAccounts(configuration);
        services.AddApiKeys();
        services.AddCommandCenterRateLimits();
        services.AddSingleton<Api.AlertActions>();
        services.AddIncidentBoard();
        services.AddPhone();
        services.AddPictures();
        services.AddLiveHub();
        services.AddEnforcement();
        services.AddCaseApi();
        services.AddIntake();
        services.AddOpen311();
        services.AddCaseStatistics();
        services.AddMapBase();
        services.AddCommandCenterLocalization();
        services.AddOptions<DashboardOptions>().BindConfiguration(DashboardOptions.Section)
            .Validate(o => o.IsValid(), "Dashboard: DeviceRows, AlertRows and GroupAlertsAbove must be positive").ValidateOnStart();
        services.AddOptions<MapOptions>().BindConfiguration(MapOptions.Section)
            .Validate(o => o.IsValid(), "Map: MarkersPerPush and MaxDevicesPerScreen must be positive, AlertRings not negative, ClusterBelowZoom 0–20").ValidateOnStart();
        services.AddRazorComponents().AddInteractiveServerComponents();
        services.AddHealthChecks().AddCheck<Health.SiloHealthCheck>("orleans-silo");
        Api.UnreadableRequests.Register(services);
        Api.BodilessErrors.Register(services);
        Api.ApiTime.Register(services);
        services.ConfigureHttpJsonOptions(o => Configure(o.SerializerOptions));
    }

    public static async Task UseCommandCenter(this WebApplication app)
    {
        await app.Services.SeedAccounts();
        await app.Services.ImportPictureFiles();
        // Library information is off by default (appsettings.json, Logging); this is the one start-up line that matters.
        app.Lifetime.ApplicationStarted.Register(() => app.Logger.LogInformation("Now listening on: {Addresses}", string.Join(", ", app.Urls)));
        await app.RefuseShippedSecretsBeyondLoopback();
        app.UseContentSecurityPolicy();
        if (!app.Environment.IsDevelopment()) app.UseExceptionHandler("/error", createScopeForErrors: true);
        Api.BodilessErrors.Use(app);
        app.UseCommandCenterLocalization();
        Api.UnreadableRequests.Use(app);
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.UseAntiforgery();
        app.MapStaticAssets();
        app.MapDefaultEndpoints();
        app.MapAccountEndpoints();
        app.MapCultureSwitch();
        app.MapApi();
        app.MapClusterApi();
        app.MapHistory();
        app.MapVideo();
        app.MapPhone();
        app.MapCasePhone();
        app.MapLiveHub();
        app.MapEnforcement();
        app.MapOpen311();
        app.MapCaseStatistics();
        app.MapMapBase();
        // Blazor sends its own frame-ancestors policy beside ours; both say the same.
        app.MapRazorComponents<App>().AddInteractiveServerRenderMode(o => o.ContentSecurityFrameAncestorsPolicy = "'none'");
    }

    private static Orleans.Hosting.ISiloBuilder AddActivityPropagationWhen(this Orleans.Hosting.ISiloBuilder silo, bool traced) =>
        traced ? silo.AddActivityPropagation() : silo;

    public static void Configure(JsonSerializerOptions json)
    {
        json.Converters.Add(new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower));
    }
}
