using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using CommandCenter.Examples.LiveClient;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// A screen left open (a wall's live page) follows its sign-in: when the sign-in ends elsewhere, the screen turns to
/// the sign-in page by itself, without anyone reloading it, and a live hub stream opened with the cookie ends.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class OpenScreenSignInTests() : OwnHostAndBrowser(new Dictionary<string, string>
{
    ["Accounts__OpenScreenCheckInterval"] = "00:00:01",
})
{
    private static readonly Regex SignInPage = new("/login");
    // The check runs every second here; the screen may take that, a render and a loaded machine's delay.
    private static readonly LocatorAssertionsToBeVisibleOptions Shown = new() { Timeout = 20_000 };
    private static readonly PageAssertionsToHaveURLOptions Soon = new() { Timeout = 20_000 };

    [Fact]
    public async Task A_screen_open_on_a_copy_of_the_cookie_turns_to_the_sign_in_page_when_the_sign_in_is_signed_out()
    {
        var desk = await Chromium.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        // A second browser holding a copy of the cookie (a wall's browser, a cookie read off a proxy) with the live page open.
        var copy = await Chromium.NewScreenPage(Host.BaseAddress, 1280, 800, Browser.English);
        await copy.Context.AddCookiesAsync((await desk.Context.CookiesAsync()).Select(c => new Cookie
        {
            Name = c.Name, Value = c.Value, Domain = c.Domain, Path = c.Path, HttpOnly = c.HttpOnly, Secure = c.Secure, SameSite = c.SameSite,
        }));
        await copy.GotoAsync("/");
        await Expect(copy.Locator("#device-table")).ToBeVisibleAsync();
        await Expect(copy.Locator("header .who")).ToHaveTextAsync("operator");

        await desk.ClickAsync("header button:has-text('Sign out')");
        await Expect(desk).ToHaveURLAsync(SignInPage);
        await Expect(copy).ToHaveURLAsync(SignInPage, Soon);
    }

    [Fact]
    public async Task Changing_the_password_turns_the_other_browsers_open_screen_to_the_sign_in_page_and_keeps_this_one()
    {
        var desk = await Chromium.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        var wall = await Chromium.SignIn(await Chromium.NewScreenPage(Host.BaseAddress, 1280, 800, Browser.English), "operator", "Operator#2026");

        await desk.GotoAsync("/account/password");
        await desk.FillAsync("#current-password", "Operator#2026");
        await desk.FillAsync("#new-password", "Night-Shift#4471");
        await desk.FillAsync("#confirm-password", "Night-Shift#4471");
        await desk.ClickAsync("#change-password");
        await Expect(desk.Locator("p.notice")).ToBeVisibleAsync();

        await Expect(wall).ToHaveURLAsync(SignInPage, Soon);
        // The browser that changed it was signed in again with the new stamp: its screens stay.
        await desk.GotoAsync("/");
        await Expect(desk.Locator("#device-table")).ToBeVisibleAsync(Shown);
        // Staying is shown by nothing happening: three of the host's 1 s checks pass, and the page is still there.
        await desk.WaitForTimeoutAsync(3_000);
        Assert.DoesNotMatch(SignInPage, desk.Url);
    }

    [Fact]
    public async Task A_live_hub_stream_opened_with_the_cookie_ends_before_its_next_push_once_the_sign_in_is_signed_out()
    {
        var desk = await Chromium.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        var cookie = string.Join("; ", (await desk.Context.CookiesAsync()).Select(c => $"{c.Name}={c.Value}"));
        await using var connection = new HubConnectionBuilder()
            .WithUrl(new Uri(Host.BaseAddress, "/hubs/live"), o => o.Headers["Cookie"] = cookie)
            .Build();
        await connection.StartAsync();
        var events = new ConcurrentQueue<LiveEvent>();
        var reading = Task.Run(async () =>
        {
            await foreach (var e in connection.StreamAsync<LiveEvent>("Subscribe", new LiveFilter(Devices: false), (long?)null)) events.Enqueue(e);
        });
        await Waiting.Until(() => Task.FromResult(events.Any(e => e.Type == "subscribed")), s => s, Wait, "subscribed");
        await Sos("before");
        await Waiting.Until(() => Task.FromResult(events.Any(e => e.Alert?.Key.Type == "before")), s => s, Wait, "the alert raised while signed in");

        await desk.ClickAsync("header button:has-text('Sign out')");
        await Expect(desk).ToHaveURLAsync(SignInPage);
        // A stream checks its sign-in at most once per interval (1 s here): the next push must come after one has passed.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        await Sos("after");
        var ended = await Assert.ThrowsAsync<HubException>(() => reading.WaitAsync(Wait));
        Assert.Contains("has ended", ended.Message);
        Assert.DoesNotContain(events, e => e.Alert?.Key.Type == "after");
        await Waiting.Until(() => Host.Api.AlertOf("screen-hh", "after"), a => a is not null, Wait, "the later alert on the API");
    }

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private Task Sos(string type) =>
        Host.Publish("cc/handheld/screen-hh/event", $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"{{type}}","severity":"critical","text":"巡查 test"}""");
}
