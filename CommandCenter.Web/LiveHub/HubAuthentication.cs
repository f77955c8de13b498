using System.Security.Claims;
using System.Text.Encodings.Web;
using CommandCenter.Web.Api;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.LiveHub;

/// <summary>
/// Who may use the hub: a signed-in user (the dashboard's cookie) or an API key holding the read scope. A key may come
/// in the <c>X-Api-Key</c> header, as a bearer token, or as the <c>access_token</c> query parameter, since browsers
/// cannot set headers on a WebSocket. This scheme serves the hub alone, so nowhere else takes a key from a URL.
/// Failing either, the answer is 401 with a problem body, never the sign-in page's redirect.
/// </summary>
public sealed class HubAuthentication(IOptionsMonitor<AuthenticationSchemeOptions> schemes, ILoggerFactory logger, UrlEncoder encoder,
    IOptionsMonitor<ApiOptions> api) : AuthenticationHandler<AuthenticationSchemeOptions>(schemes, logger, encoder)
{
    public const string SchemeName = "LiveHub";
    public const string Policy = "live-hub";
    public const string AccessClaim = "live-hub";
    /// <summary>The value of <see cref="AccessClaim"/> for a connection made with a sign-in cookie.</summary>
    public const string SignInAccess = "sign-in";
    public const string QueryParameter = "access_token";

    protected override async Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        if (PresentedKey() is not { } key)
        {
            var cookie = await Context.AuthenticateAsync(IdentityConstants.ApplicationScheme);
            if (cookie.Principal is not { Identity.IsAuthenticated: true } user) return AuthenticateResult.NoResult();
            var identity = new ClaimsIdentity(user.Claims, SchemeName, user.Identities.First().NameClaimType, user.Identities.First().RoleClaimType);
            identity.AddClaim(new Claim(AccessClaim, SignInAccess));
            return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName));
        }
        var settings = api.CurrentValue;
        // The key itself is never put into a message: these failures may be logged.
        if (settings.CallerOf(key) is not { } caller) return AuthenticateResult.Fail("The API key is not valid.");
        var claims = new List<Claim> { new(ClaimTypes.Name, caller) };
        if (settings.ScopesOf(caller).Contains(ApiScope.Read)) claims.Add(new Claim(AccessClaim, "api-key"));
        return AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(new ClaimsIdentity(claims, SchemeName)), SchemeName));
    }

    private string? PresentedKey()
    {
        var headers = Request.Headers;
        if (headers[ApiKeyFilter.Header].ToString() is { Length: > 0 } header) return header;
        if (headers.Authorization.ToString() is { } authorization && authorization.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return authorization["Bearer ".Length..].Trim();
        return Request.Query[QueryParameter].ToString() is { Length: > 0 } query ? query : null;
    }

    protected override Task HandleChallengeAsync(AuthenticationProperties properties) =>
        Results.Problem($"Sign in, or present an API key with the read scope ({ApiKeyFilter.Header} header, bearer token or {QueryParameter}).",
            statusCode: StatusCodes.Status401Unauthorized, title: "Not authenticated").ExecuteAsync(Context);

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties) =>
        Results.Problem($"The key of '{Context.User.Identity?.Name}' lacks the 'read' scope the live hub needs.",
            statusCode: StatusCodes.Status403Forbidden, title: "Missing API scope").ExecuteAsync(Context);
}
