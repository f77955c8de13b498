using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Components.Server.Circuits;
using Microsoft.AspNetCore.Localization;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Localization;

public static class LocalizationSetup
{
    /// <summary>The header switch posts here; the choice is kept in the standard culture cookie.</summary>
    public const string SwitchRoute = "/culture";

    /// <summary>A year: an operator chooses once per browser.</summary>
    private static readonly TimeSpan CookieLifetime = TimeSpan.FromDays(365);

    public static IServiceCollection AddCommandCenterLocalization(this IServiceCollection services)
    {
        services.AddOptions<CultureOptions>().BindConfiguration(CultureOptions.Section)
            .Validate(o => o.IsValid(), $"{CultureOptions.Section}:DefaultCulture must be one of {string.Join(", ", CultureOptions.Supported)}")
            .ValidateOnStart();
        services.AddOptions<DisplayOptions>().BindConfiguration(DisplayOptions.Section)
            .Validate(o => o.IsValid(), $"{DisplayOptions.Section}:TimeZone must be a time zone id such as Asia/Shanghai")
            .ValidateOnStart();
        services.AddLocalization(o => o.ResourcesPath = "Resources");
        // The cookie of the header switch first, then the browser's Accept-Language, then the configured default.
        services.AddOptions<RequestLocalizationOptions>().Configure<IOptions<CultureOptions>>((o, localization) =>
        {
            var cultures = CultureOptions.Supported.Select(CultureInfo.GetCultureInfo).ToList();
            o.SupportedCultures = cultures;
            o.SupportedUICultures = cultures;
            o.DefaultRequestCulture = new RequestCulture(Normalise(localization.Value.DefaultCulture));
            o.RequestCultureProviders = [new CookieRequestCultureProvider(), new AcceptLanguageHeaderRequestCultureProvider()];
        });
        // Per request and per circuit: a screen's strings follow its culture, even when a background push renders them.
        services.AddScoped<ScreenCulture>();
        services.AddScoped<CircuitHandler, ScreenCultureCircuitHandler>();
        services.AddScoped(typeof(IStringLocalizer<>), typeof(ScreenStringLocalizer<>));
        services.AddSingleton<CityTime>();
        services.AddScoped<Labels>();
        services.AddScoped<AlertText>();
        return services;
    }

    public static void UseCommandCenterLocalization(this WebApplication app) => app.UseRequestLocalization();

    public static void MapCultureSwitch(this WebApplication app) =>
        app.MapPost(SwitchRoute, (HttpContext context, IFormCollection form) =>
        {
            if (context.Features.Get<IAntiforgeryValidationFeature>() is not { IsValid: true })
                return Results.Problem("The language switch carried no valid antiforgery token.", statusCode: StatusCodes.Status400BadRequest);
            var culture = form["culture"].ToString();
            if (!CultureOptions.Supported.Contains(culture, StringComparer.OrdinalIgnoreCase))
                return Results.Problem($"culture must be one of {string.Join(", ", CultureOptions.Supported)}.", statusCode: StatusCodes.Status400BadRequest);
            context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(Normalise(culture))),
                new CookieOptions
                {
                    MaxAge = CookieLifetime,
                    IsEssential = true,
                    HttpOnly = true,
                    SameSite = SameSiteMode.Lax,
                    Secure = context.Request.IsHttps,
                });
            return Results.LocalRedirect(LocalOrRoot(form["returnUrl"].ToString()));
        }).WithMetadata(new RequireAntiforgeryTokenAttribute());

    /// <summary>
    /// Writes the culture this page was rendered in to the culture cookie for the rest of the browser session, when the
    /// switch has set none: an interactive page's circuit starts over a WebSocket whose request need not carry the
    /// page's Accept-Language, and without the cookie it would fall back to the default and speak another language
    /// than the page it belongs to.
    /// </summary>
    public static void KeepForCircuit(HttpContext context)
    {
        if (context.Request.Cookies.ContainsKey(CookieRequestCultureProvider.DefaultCookieName) || context.Response.HasStarted) return;
        var culture = CultureInfo.CurrentUICulture.Name;
        context.Response.Cookies.Append(CookieRequestCultureProvider.DefaultCookieName,
            CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(Normalise(culture))),
            new CookieOptions { IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax, Secure = context.Request.IsHttps });
    }

    /// <summary>The supported spelling of a culture name, whatever its case.</summary>
    private static string Normalise(string culture) =>
        CultureOptions.Supported.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase)) ?? CultureOptions.Chinese;

    /// <summary>Back to the page the switch was on, never to another site.</summary>
    private static string LocalOrRoot(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
