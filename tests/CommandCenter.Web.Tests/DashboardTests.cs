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
        await Expect(alert.Locator(".state")).ToHaveTextAsync("unacknowledged");
        await Expect(alert.Locator(".title")).ToContainTextAsync("PM2.5 182");
        // The table draws only the rows in view; the filter brings this one there among whatever else the host holds.
        await page.FillAsync("input[aria-label='Filter devices']", "ui-sensor");
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
    public async Task A_device_is_a_dot_on_the_map_canvas_and_a_click_on_it_opens_its_details()
    {
        var page = await SignIn("operator", "Operator#2026");
        await Host.Publish("cc/handheld/ui-dot/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":36.5412,"lon":104.1291,"battery":0.8}""");
        await Waiting.Until(() => page.EvaluateAsync<bool>("() => !!window.liveMap.device('handheld/ui-dot')"), seen => seen,
            TimeSpan.FromSeconds(15), "the device on the map");

        // Where Leaflet puts that place, the canvas holds a drawn dot, in the handheld's colour once drawn.
        var at = await Waiting.Until(() => page.EvaluateAsync<double[]>("""
            () => {
              const map = window.liveMap.map;
              const p = map.latLngToContainerPoint([36.5412, 104.1291]);
              const canvas = map.getContainer().querySelector("canvas.device-dots");
              const ratio = canvas.width / map.getSize().x;
              const pixel = canvas.getContext("2d").getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;
              return [p.x, p.y, pixel[0], pixel[1], pixel[2], pixel[3]];
            }
            """), p => p[5] > 0, TimeSpan.FromSeconds(10), "a dot drawn at the device's place");
        Assert.True(at[4] > at[2] && at[4] > at[3], $"a blue dot, not rgb({at[2]}, {at[3]}, {at[4]})");

        var box = (await page.Locator("#live-map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + (float)at[0], box.Y + (float)at[1]);
        await Expect(page.Locator(".leaflet-popup .map-popup")).ToContainTextAsync("Handheld ui-dot · online");
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
