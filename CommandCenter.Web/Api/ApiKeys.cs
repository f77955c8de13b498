namespace CommandCenter.Web.Api;

public sealed class ApiOptions
{
    public const string Section = "Api";

    /// <summary>Name of the caller → its key, sent in the X-Api-Key header.</summary>
    public Dictionary<string, string> Keys { get; set; } = [];
}

/// <summary>Lets a request through only with a configured key in <c>X-Api-Key</c>; the caller's name goes into HttpContext.Items.</summary>
public sealed class ApiKeyFilter(Microsoft.Extensions.Options.IOptionsMonitor<ApiOptions> options) : IEndpointFilter
{
    public const string Header = "X-Api-Key";
    public const string CallerItem = "api-caller";

    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var presented = http.Request.Headers[Header].ToString();
        var caller = presented.Length == 0 ? null : options.CurrentValue.Keys.FirstOrDefault(k => FixedTimeEquals(k.Value, presented)).Key;
        if (caller is null)
            return ValueTask.FromResult<object?>(Results.Problem($"A valid {Header} header is required.", statusCode: StatusCodes.Status401Unauthorized));
        http.Items[CallerItem] = caller;
        return next(context);
    }

    private static bool FixedTimeEquals(string expected, string presented) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(expected), System.Text.Encoding.UTF8.GetBytes(presented));
}

public static class ApiKeyExtensions
{
    public static IServiceCollection AddApiKeys(this IServiceCollection services, IConfiguration configuration)
    {
        services.Configure<ApiOptions>(configuration.GetSection(ApiOptions.Section));
        services.AddSingleton<ApiKeyFilter>();
        return services;
    }
}
