using System.Security.Claims;
using Microsoft.AspNetCore.Identity;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Accounts;

/// <summary>
/// Whether a sign-in taken earlier still holds, checked as a request's cookie is: not ended by signing out (on any node,
/// <see cref="EndedSignIns"/>), the account still there, and its security stamp unchanged (a password changed elsewhere
/// ends the other sign-ins). For what stays open on one sign-in for hours: a page (<see cref="OpenScreenSignIn"/>) and a
/// live hub connection. A database that cannot be asked leaves the sign-in holding (logged).
/// </summary>
public sealed class SignInCheck(IServiceScopeFactory scopes, EndedSignIns ended, IOptions<IdentityOptions> identity, ILogger<SignInCheck> logger)
{
    public async Task<bool> HoldsAsync(ClaimsPrincipal principal)
    {
        if (principal.FindFirstValue(EndedSignIns.ClaimType) is not { } id || await ended.IsEndedAsync(id)) return false;
        try
        {
            await using var scope = scopes.CreateAsyncScope();
            var users = scope.ServiceProvider.GetRequiredService<UserManager<IdentityUser>>();
            if (await users.GetUserAsync(principal) is not { } user) return false;
            return !users.SupportsUserSecurityStamp
                || principal.FindFirstValue(identity.Value.ClaimsIdentity.SecurityStampClaimType) == await users.GetSecurityStampAsync(user);
        }
        catch (Exception e)
        {
            logger.LogWarning(e, "Whether an open sign-in still holds could not be read; it holds until the next check");
            return true;
        }
    }
}
