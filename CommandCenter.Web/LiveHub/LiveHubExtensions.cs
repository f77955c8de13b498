using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Authentication;

namespace CommandCenter.Web.LiveHub;

public static class LiveHubExtensions
{
    public static IServiceCollection AddLiveHub(this IServiceCollection services)
    {
        services.AddOptions<LiveHubOptions>().BindConfiguration(LiveHubOptions.Section)
            .Validate(o => o.IsValid(), "Hub:CatchUpEvents and Hub:ClientQueue must be positive.").ValidateOnStart();
        services.AddSingleton<LiveEventLog>();
        services.AddHostedService(sp => sp.GetRequiredService<LiveEventLog>());
        services.AddAuthentication().AddScheme<AuthenticationSchemeOptions, HubAuthentication>(HubAuthentication.SchemeName, null);
        services.AddAuthorizationBuilder().AddPolicy(HubAuthentication.Policy, policy => policy
            .AddAuthenticationSchemes(HubAuthentication.SchemeName)
            .RequireClaim(HubAuthentication.AccessClaim));
        // The same JSON as the HTTP API (kebab-case enums); absent fields are left out of the events.
        services.AddSignalR().AddJsonProtocol(o =>
        {
            Extensions.Configure(o.PayloadSerializerOptions);
            o.PayloadSerializerOptions.DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull;
        });
        return services;
    }

    public static void MapLiveHub(this IEndpointRouteBuilder app) =>
        app.MapHub<LiveHub>(LiveHub.Path).RequireAuthorization(HubAuthentication.Policy);
}
