using CommandCenter.Web.Api;

namespace CommandCenter.Web.Map;

/// <summary>The base layer over HTTP: for scripts with an API key, and for the dashboard's own map with its sign-in cookie.</summary>
public static class MapEndpoints
{
    /// <summary>Where the live map fetches its base layer (the page holds a cookie, not an API key).</summary>
    public const string PagePath = "/map/base";

    public static IServiceCollection AddMapBase(this IServiceCollection services) => services.AddSingleton<BaseMap>().AddSingleton<MapText>();

    public static void MapMapBase(this WebApplication app)
    {
        app.MapGroup("/api").AddEndpointFilter<ApiKeyFilter>().MapGet("/map/base", Answer);
        app.MapGet(PagePath, Answer).RequireAuthorization();
    }

    private static IResult Answer(BaseMap map, HttpContext http)
    {
        // The same for the whole life of the process: a screen asks once per page load, and may keep it an hour.
        http.Response.Headers.CacheControl = "private, max-age=3600";
        return Results.Text(map.Json, "application/geo+json; charset=utf-8");
    }
}
