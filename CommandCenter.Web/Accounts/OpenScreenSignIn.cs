using Microsoft.AspNetCore.Components.Authorization;
using Microsoft.AspNetCore.Components.Server;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Accounts;

/// <summary>
/// An open page's user, checked again every <see cref="AccountOptions.OpenScreenCheckInterval"/>: a page (a Blazor
/// circuit) takes its user once, when it connects, and would go on showing the city after that sign-in ended. Once the
/// check fails the page's user is nobody, and <c>SignInWatch</c> turns the page to the sign-in page.
/// </summary>
public sealed class OpenScreenSignIn(ILoggerFactory loggers, SignInCheck check, IOptions<AccountOptions> accounts)
    : RevalidatingServerAuthenticationStateProvider(loggers)
{
    protected override TimeSpan RevalidationInterval => accounts.Value.OpenScreenCheckInterval;

    protected override Task<bool> ValidateAuthenticationStateAsync(AuthenticationState state, CancellationToken cancellationToken) =>
        check.HoldsAsync(state.User);
}
