using System.Globalization;
using System.Threading.RateLimiting;
using CommandCenter.DeviceGateway;
using CommandCenter.Web.Api;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.RateLimiting;

public sealed class RateLimitOptions
{
    public const string Section = "RateLimits";

    /// <summary>Sign-in (and password change) form posts one client address may make per minute; default 10.</summary>
    public int SignInPerMinute { get; set; } = 10;
    /// <summary>API requests per key per minute (per client address for requests without a valid key, and for Open311); default 6000, far above what a wall screen or the simulators need.</summary>
    public int ApiPerMinute { get; set; } = 6000;
    /// <summary>Wrong passwords for one user name from one client address before it must wait; default 5.</summary>
    public int SignInFailuresAllowed { get; set; } = 5;
    /// <summary>The first wait after those failures, doubled with each further failure; default 30 s.</summary>
    public TimeSpan SignInBlockInitial { get; set; } = TimeSpan.FromSeconds(30);
    /// <summary>The longest wait; default 15 min. Failures are forgotten once this long has passed without one.</summary>
    public TimeSpan SignInBlockMax { get; set; } = TimeSpan.FromMinutes(15);
}

/// <summary>
/// Per-client request limits in front of the sign-in form and the API (the ASP.NET Core rate limiter):
/// password guessing is slowed to a trickle per address, and no single key can monopolise the API.
/// Partitions are by the connection's remote address; behind a reverse proxy, forwarded headers must be
/// applied first or every client shares the proxy's address.
/// </summary>
public static class RateLimitExtensions
{
    private const int SegmentsPerWindow = 6;

    public static IServiceCollection AddCommandCenterRateLimits(this IServiceCollection services)
    {
        services.AddOptions<RateLimitOptions>().BindConfiguration(RateLimitOptions.Section)
            .Validate(o => o.SignInPerMinute > 0 && o.ApiPerMinute > 0, "RateLimits:SignInPerMinute and ApiPerMinute must be positive.")
            .Validate(o => o.SignInFailuresAllowed > 0, "RateLimits:SignInFailuresAllowed must be positive.")
            .Validate(o => o.SignInBlockInitial > TimeSpan.Zero && o.SignInBlockMax >= o.SignInBlockInitial,
                "RateLimits:SignInBlockInitial must be positive and at most SignInBlockMax.")
            .ValidateOnStart();
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<Accounts.SignInThrottle>();
        services.AddRateLimiter(_ => { });
        services.AddOptions<RateLimiterOptions>().Configure<IOptions<RateLimitOptions>, IOptionsMonitor<ApiOptions>>((limiter, limits, api) =>
        {
            limiter.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(http => Partition(http, limits.Value, api.CurrentValue));
            limiter.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            limiter.OnRejected = Rejected;
        });
        return services;
    }

    public static bool IsSignInPost(HttpRequest request) =>
        HttpMethods.IsPost(request.Method) &&
        (request.Path.Equals("/login", StringComparison.OrdinalIgnoreCase) || request.Path.Equals("/account/password", StringComparison.OrdinalIgnoreCase));

    private static RateLimitPartition<string> Partition(HttpContext http, RateLimitOptions limits, ApiOptions api)
    {
        var client = ClientAddress.KeyOf(http.Connection.RemoteIpAddress);
        if (IsSignInPost(http.Request))
            return RateLimitPartition.GetSlidingWindowLimiter("sign-in:" + client, _ => PerMinute(limits.SignInPerMinute));
        if (http.Request.Path.StartsWithSegments("/api"))
        {
            // A valid key is its own partition wherever it calls from; anything else is counted per address,
            // so made-up keys cannot mint partitions of their own.
            var caller = api.CallerOf(http.Request.Headers[ApiKeyFilter.Header].ToString());
            return RateLimitPartition.GetSlidingWindowLimiter(caller is null ? "api-address:" + client : "api-key:" + caller,
                _ => PerMinute(limits.ApiPerMinute));
        }
        // Open311 carries its key in the form body, which the limiter cannot read: citizen apps are counted per address.
        if (http.Request.Path.StartsWithSegments(Open311.Open311Endpoints.Prefix))
            return RateLimitPartition.GetSlidingWindowLimiter("open311-address:" + client, _ => PerMinute(limits.ApiPerMinute));
        return RateLimitPartition.GetNoLimiter("unlimited");
    }

    private static SlidingWindowRateLimiterOptions PerMinute(int permits) => new()
    {
        PermitLimit = permits,
        Window = TimeSpan.FromMinutes(1),
        SegmentsPerWindow = SegmentsPerWindow,
        QueueLimit = 0,
    };

    private static async ValueTask Rejected(OnRejectedContext context, CancellationToken cancellationToken)
    {
        var retryAfter = context.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? wait
            : TimeSpan.FromMinutes(1) / SegmentsPerWindow;
        var seconds = (int)Math.Max(1, Math.Ceiling(retryAfter.TotalSeconds));
        var response = context.HttpContext.Response;
        response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        if (context.HttpContext.Request.Path.StartsWithSegments(Open311.Open311Endpoints.Prefix))
        {
            await Open311.Open311Errors.Of(StatusCodes.Status429TooManyRequests, $"Too many requests; try again in {seconds} s.").ExecuteAsync(context.HttpContext);
            return;
        }
        var what = IsSignInPost(context.HttpContext.Request) ? "sign-in attempts from this address" : "API requests";
        await Results.Problem($"Too many {what}; try again in {seconds} s.", statusCode: StatusCodes.Status429TooManyRequests, title: "Too many requests")
            .ExecuteAsync(context.HttpContext);
    }
}
