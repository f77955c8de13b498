using System.Net;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>Signing out takes the dashboard's own form, never a form posted from another site, and ends the sign-in for good.</summary>
[Collection(SharedHost.Name)]
public sealed class SignOutTests(HostFixture fixture) : IAsyncLifetime
{
    private CommandCenterProcess Host => fixture.Host;
    private Browser _browser = null!;

    public async Task InitializeAsync() => _browser = await Browser.Launch();
    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task A_sign_out_without_the_antiforgery_token_is_refused_and_the_user_stays_signed_in()
    {
        var page = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026");

        // What a cross-site form would send: the user's cookies, no token.
        var forged = await page.APIRequest.PostAsync("account/logout", new()
        {
            Form = page.APIRequest.CreateFormData(),
            MaxRedirects = 0,
        });
        Assert.Equal((int)HttpStatusCode.BadRequest, forged.Status);

        await page.ReloadAsync();
        await Expect(page.Locator("#device-table")).ToBeVisibleAsync();
        await Expect(page.Locator("header .who")).ToHaveTextAsync("operator");

        var cookie = string.Join("; ", (await page.Context.CookiesAsync())
            .Where(c => c.Name.StartsWith(".AspNetCore.Identity.Application", StringComparison.Ordinal)).Select(c => $"{c.Name}={c.Value}"));
        Assert.Equal(HttpStatusCode.OK, await Host.Api.WithCopiedCookie(cookie));
        await page.ClickAsync("header button:has-text('Sign out')");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(new Regex("/login"));
        // The sign-in is ended on the server, not only forgotten by the browser: a copy of its cookie opens nothing.
        Assert.Equal(HttpStatusCode.Redirect, await Host.Api.WithCopiedCookie(cookie));
    }
}
