using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>An ambient sensor's AQI level on the dashboard in Debian's chromium: its dot's colour, its popup, its table row.</summary>
[Collection(SharedHost.Name)]
public sealed class AirQualityMapTests(HostFixture fixture) : IAsyncLifetime
{
    private CommandCenterProcess Host => fixture.Host;
    private Browser _browser = null!;

    public async Task InitializeAsync() => _browser = await Browser.Launch();
    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task A_sensor_dot_takes_its_aqi_level_colour()
    {
        var page = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        // PM2.5 60 µg/m³: 50 + 50/40·25 = 81.25 → 82, level 2 (良, yellow #FFFF00); within every limit, so no alert red.
        await Host.Publish("cc/sensor/ui-aqi/telemetry",
            $$"""{"ts":"{{DateTimeOffset.Now:O}}","values":{"a34004":60},"lat":36.5601,"lon":104.1501}""");
        await Waiting.Until(() => page.EvaluateAsync<int>("() => window.liveMap.device('sensor/ui-aqi')?.aqiLevel ?? 0"), level => level == 2,
            TimeSpan.FromSeconds(15), "the sensor on the map with AQI level 2");

        var at = await Waiting.Until(() => page.EvaluateAsync<double[]>("""
            () => {
              const map = window.liveMap.map;
              const p = map.latLngToContainerPoint([36.5601, 104.1501]);
              const canvas = map.getContainer().querySelector("canvas.device-dots");
              const ratio = canvas.width / map.getSize().x;
              const pixel = canvas.getContext("2d").getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data;
              return [p.x, p.y, pixel[0], pixel[1], pixel[2], pixel[3]];
            }
            """), p => p[5] > 0, TimeSpan.FromSeconds(10), "a dot drawn at the sensor's place");
        Assert.True(at[2] > 200 && at[3] > 200 && at[4] < 80, $"a yellow dot, not rgb({at[2]}, {at[3]}, {at[4]})");

        var box = (await page.Locator("#live-map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + (float)at[0], box.Y + (float)at[1]);
        await Expect(page.Locator(".leaflet-popup .map-popup")).ToContainTextAsync("AQI 良 Moderate");

        await page.FillAsync("input[aria-label='Filter devices']", "ui-aqi");
        await Expect(page.Locator("#device-table tr[data-device='ui-aqi'] .aqi.aqi-2")).ToHaveTextAsync("AQI 82 Moderate");
        Assert.Empty(_browser.CspViolations(page));
    }

    [Fact]
    public async Task The_registry_page_shows_each_sensors_profile()
    {
        var registered = await Host.Api.PutAsync("/api/devices/sensor/ui-outlet",
            System.Net.Http.Json.JsonContent.Create(new { secret = "ui-outlet-secret-000001", profile = "source" }));
        registered.EnsureSuccessStatusCode();
        var page = await _browser.SignIn(Host.BaseAddress, "admin", "Admin#2026");
        await page.GotoAsync("/admin/devices");
        await page.FillAsync("input[aria-label='Filter devices']", "ui-outlet");
        await Expect(page.Locator("#registry-table tr[data-device='ui-outlet'] .profile")).ToHaveTextAsync("source");
    }
}
