using System.Globalization;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Localization;
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
        services.AddSingleton<CityTime>();
        services.AddSingleton<Labels>();
        services.AddSingleton<AlertText>();
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

    /// <summary>The supported spelling of a culture name, whatever its case.</summary>
    private static string Normalise(string culture) =>
        CultureOptions.Supported.FirstOrDefault(c => string.Equals(c, culture, StringComparison.OrdinalIgnoreCase)) ?? CultureOptions.Chinese;

    /// <summary>Back to the page the switch was on, never to another site.</summary>
    private static string LocalOrRoot(string url) =>
        url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.StartsWith("/\\", StringComparison.Ordinal) ? url : "/";
}
