using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>The dashboard in Debian's chromium, driven by Playwright, the way an operator uses it.</summary>
[Collection(SharedHost.Name)]
public sealed class DashboardTests(HostFixture fixture) : IAsyncLifetime
{
    private CommandCenterProcess Host => fixture.Host;
    private Browser _browser = null!;

    public async Task InitializeAsync() => _browser = await Browser.Launch();
    public async Task DisposeAsync() => await _browser.DisposeAsync();

    private Task<IPage> SignIn(string user, string password) => _browser.SignIn(Host.BaseAddress, user, password);

    [Fact]
    public async Task An_operator_sees_an_alert_arrive_live_and_acknowledges_it()
    {
        var page = await SignIn("operator", "Operator#2026");
        var now = DateTimeOffset.Now;
        for (var i = 0; i < 3; i++) await Host.PublishReading("ui-sensor", 180 + i, now.AddSeconds(i));

        var alert = page.Locator("li.alert[data-device='ui-sensor'][data-alert-type='exceed-a34004']");
        await Expect(alert).ToBeVisibleAsync();
        await Expect(alert.Locator(".state")).ToHaveTextAsync("active-unacknowledged");
        await Expect(alert.Locator(".title")).ToContainTextAsync("PM2.5 182");
        await Expect(page.Locator("#device-table tr[data-device='ui-sensor'] .state")).ToHaveTextAsync("online");

        await alert.Locator("button.ack").ClickAsync();
        await Expect(alert.Locator(".state")).ToHaveTextAsync("acknowledged by operator");
        await Expect(alert.Locator("button.ack")).ToHaveCountAsync(0);

        var stored = await Host.Api.AlertOf("ui-sensor", "exceed-a34004");
        Assert.Equal("acknowledged", stored!.Value.GetProperty("state").GetString());
        Assert.Equal("operator", stored.Value.GetProperty("acknowledgedBy").GetString());

        // A new reading updates the same alert on screen without a reload.
        await Host.PublishReading("ui-sensor", 250, now.AddSeconds(5));
        await Expect(alert.Locator(".title")).ToContainTextAsync("PM2.5 250");
        await Expect(page.Locator("li.alert[data-device='ui-sensor']")).ToHaveCountAsync(1);
        Assert.Empty(_browser.CspViolations(page));
    }

    [Fact]
    public async Task An_inspector_sees_the_feed_but_cannot_acknowledge()
    {
        var now = DateTimeOffset.Now;
        for (var i = 0; i < 3; i++) await Host.PublishReading("ui-readonly", 190, now.AddSeconds(i));
        var page = await SignIn("inspector", "Inspector#2026");
        var alert = page.Locator("li.alert[data-device='ui-readonly']");
        await Expect(alert).ToBeVisibleAsync();
        await Expect(alert.Locator("button.ack")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_wrong_password_is_refused()
    {
        var page = await _browser.NewPage(Host.BaseAddress);
        await page.GotoAsync("/login");
        await page.FillAsync("#username", "operator");
        await page.FillAsync("#password", "guess");
        await page.ClickAsync("#sign-in");
        await Expect(page.Locator(".error")).ToHaveTextAsync("Wrong user name or password, or too many attempts: wait a minute and try again.");
    }
}
