using System.Net;
using System.Text.RegularExpressions;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// One browser moved between the nodes of <see cref="TwoNodes"/> (in this class so that it shares their start): signed
/// in at node A, the same browser is signed in at node B, B's live page runs on a circuit of B's own, and signing out
/// at B signs the browser out at A and ends the sign-in on both nodes.
/// </summary>
public sealed partial class ClusterTests
{
    [Fact]
    public async Task A_browser_signed_in_at_node_A_works_live_at_node_B_and_signing_out_at_B_signs_it_out_at_A_for_good()
    {
        await cluster.Nodes.Register("handheld", "cl-browser");
        await using var chromium = await Browser.Launch();
        // A context of its own (a page of Browser.NewPage owns its context and opens no second tab).
        var atA = await chromium.SignIn(await chromium.NewScreenPage(A.BaseAddress, 1280, 800, Browser.English), "operator", "Operator#2026");

        // A second tab of the same browser: cookies belong to the host, not the port, so node B gets A's sign-in cookie.
        var atB = await atA.Context.NewPageAsync();
        await atB.GotoAsync(new Uri(B.BaseAddress, "/").ToString());
        await Expect(atB.Locator("#device-table")).ToBeVisibleAsync();
        Assert.Equal(B.BaseAddress.Port, new Uri(atB.Url).Port);
        Assert.DoesNotContain("/login", atB.Url);
        await Expect(atB.Locator("header .who")).ToHaveTextAsync("operator");

        // Raised through node A's broker after B's page was open: it can only appear there through B's circuit.
        await A.Publish("cc/handheld/cl-browser/event",
            $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"sos","severity":"critical","text":"help at the east gate"}""");
        var alertAtB = atB.Locator("li.alert[data-device='cl-browser'][data-alert-type='sos']");
        await Expect(alertAtB).ToBeVisibleAsync();
        await Expect(alertAtB.Locator(".state")).ToHaveTextAsync("unacknowledged");

        // Acknowledged at B, by the user signed in at A: stored for the city and shown live on A's page as well.
        await alertAtB.Locator("button.ack").ClickAsync();
        await Expect(alertAtB.Locator(".state")).ToHaveTextAsync("acknowledged by operator");
        await Expect(atA.Locator("li.alert[data-device='cl-browser'][data-alert-type='sos'] .state")).ToHaveTextAsync("acknowledged by operator");
        var stored = await A.Api.AlertOf("cl-browser", "sos");
        Assert.Equal("acknowledged", stored!.Value.GetProperty("state").GetString());
        Assert.Equal("operator", stored.Value.GetProperty("acknowledgedBy").GetString());

        // Signing out at B (B's form, B's antiforgery check) removes the browser's cookie, and A's page, left open, turns
        // to the sign-in page by itself: node A checks its open screens' sign-ins (Accounts:OpenScreenCheckInterval, 10 s)
        // and trusts a sign-in it has checked for a few seconds more (EndedSignIns.CheckAgainAfter).
        var signInCookies = (await atA.Context.CookiesAsync()).Where(c => c.Name.StartsWith(".AspNetCore.Identity.Application", StringComparison.Ordinal)).ToList();
        Assert.NotEmpty(signInCookies);
        await atB.ClickAsync("header button:has-text('Sign out')");
        await Expect(atB).ToHaveURLAsync(new Regex("/login"));
        await Expect(atA).ToHaveURLAsync(new Regex("/login"), new() { Timeout = 40_000 });
        Assert.Equal(A.BaseAddress.Port, new Uri(atA.Url).Port);
        Assert.DoesNotContain(await atA.Context.CookiesAsync(), c => c.Name.StartsWith(".AspNetCore.Identity.Application", StringComparison.Ordinal));

        // Signing out ended the sign-in on the server too: a copy of the cookie taken before opens neither node, B (where
        // it was ended) at once, A within the few seconds it trusts a sign-in it has checked (EndedSignIns.CheckAgainAfter).
        var cookie = string.Join("; ", signInCookies.Select(c => $"{c.Name}={c.Value}"));
        Assert.Equal(HttpStatusCode.Redirect, await B.Api.WithCopiedCookie(cookie));
        await Waiting.Until(() => A.Api.WithCopiedCookie(cookie), status => status == HttpStatusCode.Redirect, TimeSpan.FromSeconds(15), "the copy refused by node A");
    }
}
