using System.Diagnostics.Metrics;

namespace CommandCenter.Web.Api;

/// <summary>
/// A request whose body is not JSON, or whose values have the wrong type, gets a problem-details answer saying what
/// could not be read (on its own the framework answers a bare 400), and is counted (<c>api.requests.unreadable</c>).
/// </summary>
public sealed class UnreadableRequests(IMeterFactory meters, ILogger<UnreadableRequests> logger)
{
    private readonly Counter<long> _count = meters.Create("CommandCenter.Web").CreateCounter<long>("api.requests.unreadable");

    private async Task Answer(HttpContext context, BadHttpRequestException e)
    {
        _count.Add(1);
        logger.LogDebug("Unreadable request to {Path}: {Why}", context.Request.Path, e.InnerException?.Message ?? e.Message);
        context.Response.Clear();
        await Results.Problem(statusCode: e.StatusCode, title: "The request could not be read",
            detail: e.InnerException is System.Text.Json.JsonException json ? $"{e.Message} {json.Message}" : e.Message).ExecuteAsync(context);
    }

    public static void Register(IServiceCollection services)
    {
        services.AddSingleton<UnreadableRequests>();
        // Route handlers then throw what they cannot bind, for the middleware below to answer.
        services.Configure<RouteHandlerOptions>(o => o.ThrowOnBadRequest = true);
    }

    public static void Use(IApplicationBuilder app)
    {
        var answer = app.ApplicationServices.GetRequiredService<UnreadableRequests>();
        app.Use(async (context, next) =>
        {
            try { await next(context); }
            catch (BadHttpRequestException e) when (!context.Response.HasStarted) { await answer.Answer(context, e); }
        });
    }
}
