using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Api;

/// <summary>What an API key may do. A key holds each scope it is given, nothing more: admin does not imply operate.</summary>
public enum ApiScope
{
    /// <summary>Read devices, alerts and counters (a wall screen).</summary>
    Read,
    /// <summary>Act on alerts: acknowledge, clear.</summary>
    Operate,
    /// <summary>Change what the command center knows: register cameras and devices.</summary>
    Admin,
    /// <summary>Report problems as city-management cases (a citizen app posting Open311 requests); nothing else.</summary>
    Report,
}

public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Name of the caller → its key, sent in the X-Api-Key header.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];

    /// <summary>Name of the caller → its scopes, space- or comma-separated (<c>read operate admin report</c>); a key without an entry may only read.</summary>
    public Dictionary<string, string> Scopes { get; set; } = [];

    public static readonly IReadOnlySet<ApiScope> DefaultScopes = new HashSet<ApiScope> { ApiScope.Read };

    /// <summary>The name of the caller whose key was presented, compared in fixed time; null when no key matches.</summary>
    public string? CallerOf(string presented) =>
        presented.Length == 0 ? null : Keys.FirstOrDefault(k => FixedTimeEquals(k.Value, presented)).Key;

    public IReadOnlySet<ApiScope> ScopesOf(string caller)
    {
        var entry = Scopes.FirstOrDefault(s => string.Equals(s.Key, caller, StringComparison.OrdinalIgnoreCase));
        return entry.Key is null ? DefaultScopes : ParseScopes(entry.Value, out _);
    }

    public static HashSet<ApiScope> ParseScopes(string text, out List<string> unknown)
    {
        var scopes = new HashSet<ApiScope>();
        unknown = [];
        foreach (var word in text.Split([' ', ',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Enum.TryParse would take numbers too ("7"); only the names are scopes.
            if (Enum.GetNames<ApiScope>().FirstOrDefault(n => n.Equals(word, StringComparison.OrdinalIgnoreCase)) is { } name)
                scopes.Add(Enum.Parse<ApiScope>(name));
            else
                unknown.Add(word);
        }
        return scopes;
    }

    /// <summary>Every scope entry names only known scopes, so a typo is found at start-up rather than as a puzzling 403.</summary>
    public bool ScopesAreValid()
    {
        foreach (var entry in Scopes.Values)
        {
            ParseScopes(entry, out var unknown);
            if (unknown.Count > 0) return false;
        }
        return true;
    }

    private static bool FixedTimeEquals(string expected, string presented) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(presented));
}

/// <summary>The scope a route needs; a route under /api without one needs <see cref="ApiScope.Read"/>.</summary>
public sealed record RequiredScope(ApiScope Scope);

/// <summary>
/// Lets a request through only with a configured key in <c>X-Api-Key</c> that holds the route's scope;
/// the caller's name goes into HttpContext.Items.
/// </summary>
public sealed class ApiKeyFilter(IOptionsMonitor<ApiOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";
    public const string CallerItem = "api-caller";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var settings = options.CurrentValue;
        var caller = settings.CallerOf(http.Request.Headers[Header].ToString());
        if (caller is null)
            return ValueTask.FromResult<object?>(Results.Problem($"A valid {Header} header is required.", statusCode: StatusCodes.Status401Unauthorized));
        var needed = http.GetEndpoint()?.Metadata.GetMetadata<RequiredScope>()?.Scope ?? ApiScope.Read;
        if (!settings.ScopesOf(caller).Contains(needed))
        {
            var scope = needed.ToString().ToLowerInvariant();
            return ValueTask.FromResult<object?>(Results.Problem(
                $"The key of '{caller}' lacks the '{scope}' scope this route needs (set Api:Scopes:{caller}).",
                statusCode: StatusCodes.Status403Forbidden, title: "Missing API scope"));
        }
        http.Items[CallerItem] = caller;
        return next(context);
    }
}

public static class ApiKeyExtensions
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services)
    {
        services.AddOptions<ApiOptions>().BindConfiguration(ApiOptions.Section)
            .Validate(o => o.ScopesAreValid(), "Api:Scopes may only name the scopes read, operate, admin and report.")
            .ValidateOnStart();
        services.AddSingleton<ApiKeyFilter>();
        return services;
    }

    /// <summary>Marks a route as needing a scope beyond <see cref="ApiScope.Read"/>.</summary>
    public static RouteHandlerBuilder RequireScope(this RouteHandlerBuilder route, ApiScope scope) =>
        route.WithMetadata(new RequiredScope(scope));
}
