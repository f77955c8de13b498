using System.Diagnostics.Metrics;
using Microsoft.AspNetCore.WebUtilities;

namespace CommandCenter.Web.Api;

/// <summary>
/// A 4xx the framework answers without a body (no route under /api, a method the route does not take, a limit it
/// enforces) gets one that says what went wrong: problem details under <c>/api</c> and <c>/hubs</c>, the spec's error
/// array under Open311. Pages keep their plain answers and their redirects to the sign-in page. Counted as
/// <c>api.requests.refused</c> by status.
/// </summary>
public sealed class BodilessErrors(IMeterFactory meters)
{
    private static readonly string[] ProblemPrefixes = ["/api", "/hubs"];

    private readonly Counter<long> _count = meters.Create("CommandCenter.Web").CreateCounter<long>("api.requests.refused");

    public static void Register(IServiceCollection services) => services.AddSingleton<BodilessErrors>();

    public static void Use(IApplicationBuilder app)
    {
        var errors = app.ApplicationServices.GetRequiredService<BodilessErrors>();
        app.UseStatusCodePages(context => errors.Answer(context.HttpContext));
    }

    private async Task Answer(HttpContext http)
    {
        var status = http.Response.StatusCode;
        if (status is < 400 or >= 500) return;
        var path = http.Request.Path;
        var open311 = path.StartsWithSegments("/open311");
        if (!open311 && !ProblemPrefixes.Any(p => path.StartsWithSegments(p))) return;
        _count.Add(1, new KeyValuePair<string, object?>("status", status));
        var detail = Detail(http, status);
        if (open311)
        {
            var format = path.Value!.EndsWith(".xml", StringComparison.OrdinalIgnoreCase) ? Open311.Open311Document.Xml : Open311.Open311Document.Json;
            await Open311.Open311Errors.Of(status, detail, format).ExecuteAsync(http);
            return;
        }
        await Results.Problem(detail, statusCode: status, title: ReasonPhrases.GetReasonPhrase(status)).ExecuteAsync(http);
    }

    private static string Detail(HttpContext http, int status) => status switch
    {
        StatusCodes.Status404NotFound => $"There is nothing at {http.Request.Path}; docs/api.md lists the routes.",
        StatusCodes.Status405MethodNotAllowed => http.Response.Headers.Allow.ToString() is { Length: > 0 } allowed
            ? $"{http.Request.Method} is not allowed on {http.Request.Path}; it takes {allowed}."
            : $"{http.Request.Method} is not allowed on {http.Request.Path}.",
        StatusCodes.Status413PayloadTooLarge => $"The body is larger than {http.Request.Path} takes.",
        StatusCodes.Status401Unauthorized => $"A valid {ApiKeyFilter.Header} header is required.",
        StatusCodes.Status403Forbidden => "This caller may not do this.",
        _ => $"The request to {http.Request.Path} was refused.",
    };
}
