using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// The live map in Debian's chromium (docs/map.md): the shipped base layer with the network cut, layer switches,
/// clusters, a camera's view cone, hover labels and acknowledging from the map. Each test puts its devices at a place
/// of its own, away from the other tests' devices on the shared host.
/// </summary>
[Collection(SharedHost.Name)]
public sealed class MapTests(HostFixture fixture) : IAsyncLifetime
{
    private CommandCenterProcess Host => fixture.Host;
    private Browser _browser = null!;

    public async Task InitializeAsync() => _browser = await Browser.Launch();
    public async Task DisposeAsync() => await _browser.DisposeAsync();

    [Fact]
    public async Task A_live_page_whose_map_element_is_gone_before_the_map_is_drawn_stays_live()
    {
        // What a click from the live page to the video wall during the page's first render does: the map's element is
        // gone when the circuit asks the browser to draw the map. That used to end the circuit, which the next page
        // shares, so the wall the operator went to stopped following the city.
        var page = await _browser.NewPage(Host.BaseAddress);
        await page.AddInitScriptAsync("""
            new MutationObserver(() => document.getElementById("live-map")?.remove())
              .observe(document, { childList: true, subtree: true });
            """);
        await _browser.SignIn(page, "operator", "Operator#2026");
        await Host.Publish("cc/handheld/map-gone/event",
            $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"sos","severity":"critical","text":"map gone"}""");
        await Expect(page.Locator("li.alert[data-device='map-gone'][data-alert-type='sos']")).ToBeVisibleAsync(new() { Timeout = 20_000 });
        Assert.Equal(0, await page.Locator("#live-map").CountAsync());
    }

    [Fact]
    public async Task The_api_serves_the_base_layer_with_districts_rivers_roads_towns_and_grid_cells()
    {
        var map = await Host.Api.GetFromJsonAsync<JsonElement>("/api/map/base");
        var features = map.GetProperty("features").EnumerateArray().Select(f => f.GetProperty("properties")).ToList();
        string[] Named(string layer) => features.Where(p => p.GetProperty("layer").GetString() == layer).Select(p => p.GetProperty("name").GetString()!).ToArray();
        Assert.Equal(["白银区", "平川区", "景泰县", "靖远县", "会宁县"], Named("district"));
        Assert.Contains("黄河 Yellow River", Named("river"));
        Assert.Contains("G6 京藏高速", Named("expressway"));
        Assert.Contains("G109", Named("highway"));
        Assert.Equal(5, Named("town").Length);
        // The case grid's own cell codes: district + row + column.
        Assert.Contains("620402-00-00", Named("grid"));
    }

    [Fact]
    public async Task The_base_layer_is_drawn_with_no_network_beyond_the_host()
    {
        var page = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        var outside = new List<string>();
        await page.Context.RouteAsync("**/*", async route =>
        {
            var url = new Uri(route.Request.Url);
            if (url.Host == Host.BaseAddress.Host && url.Port == Host.BaseAddress.Port) await route.ContinueAsync();
            else { lock (outside) outside.Add(route.Request.Url); await route.AbortAsync(); }
        });
        await page.ReloadAsync();
        var drawn = await Waiting.Until(() => page.EvaluateAsync<JsonElement>("() => window.liveMap && window.liveMap.map ? window.liveMap.drawn().base : {}"),
            b => b.TryGetProperty("district", out var d) && d.GetInt32() == 5, TimeSpan.FromSeconds(15), "the five district outlines drawn");
        Assert.True(drawn.GetProperty("river").GetInt32() >= 1, "the Yellow River drawn");
        Assert.True(drawn.GetProperty("town").GetInt32() == 5, "the five towns labelled");
        Assert.True(drawn.GetProperty("grid").GetInt32() > 100, "the grid cells drawn");
        // Something is on the base canvas where 白银区's town is.
        var pixel = await page.EvaluateAsync<int[]>("""
            () => {
              const map = window.liveMap.map;
              const p = map.latLngToContainerPoint([36.55, 104.17]);
              const canvas = map.getContainer().querySelector("canvas.base-map");
              const ratio = canvas.width / map.getSize().x;
              return Array.from(canvas.getContext("2d").getImageData(Math.round(p.x * ratio), Math.round(p.y * ratio), 1, 1).data);
            }
            """);
        Assert.True(pixel[3] > 0, "the town's mark drawn on the base canvas");
        Assert.Empty(outside);
        Assert.Empty(_browser.CspViolations(page));
    }

    [Fact]
    public async Task Layer_switches_hide_and_show_a_kind_and_are_remembered()
    {
        var page = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        const double lat = 36.6231, lon = 104.3117;
        await Host.Publish("cc/handheld/map-layer-1/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":{{lat}},"lon":{{lon}},"battery":0.9}""");
        await View(page, lat, lon, 16);
        await Waiting.Until(() => DeviceAt(page, lat, lon), key => key == "handheld/map-layer-1", TimeSpan.FromSeconds(15), "the handheld drawn");

        await page.Locator(".map-layers input[data-layer='handhelds']").UncheckAsync();
        await Waiting.Until(() => DeviceAt(page, lat, lon), key => key is null, TimeSpan.FromSeconds(5), "the handheld hidden");
        await page.Locator(".map-layers input[data-layer='alerts']").UncheckAsync();
        Assert.False(await page.EvaluateAsync<bool>("() => window.liveMap.map.hasLayer(window.liveMap.alertGroup)"));

        // The same browser remembers what was switched off.
        await page.ReloadAsync();
        await Expect(page.Locator(".map-layers input[data-layer='handhelds']")).Not.ToBeCheckedAsync();
        await Expect(page.Locator(".map-layers input[data-layer='sensors']")).ToBeCheckedAsync();
        await View(page, lat, lon, 16);
        await Waiting.Until(() => page.EvaluateAsync<bool>("() => !!window.liveMap.device('handheld/map-layer-1')"), on => on, TimeSpan.FromSeconds(15), "the handheld on the map again");
        Assert.Null(await DeviceAt(page, lat, lon));

        await page.Locator(".map-layers input[data-layer='handhelds']").CheckAsync();
        await page.Locator(".map-layers input[data-layer='alerts']").CheckAsync();
        await Waiting.Until(() => DeviceAt(page, lat, lon), key => key == "handheld/map-layer-1", TimeSpan.FromSeconds(5), "the handheld shown again");
        Assert.True(await page.EvaluateAsync<bool>("() => window.liveMap.map.hasLayer(window.liveMap.alertGroup)"));
    }

    [Fact]
    public async Task Handhelds_close_together_are_one_cluster_at_low_zoom_and_split_when_zoomed_in()
    {
        var page = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        // About 150 m apart: a few pixels at zoom 10, far apart at zoom 16.
        const double lat = 36.9012, lon = 104.9023;
        await Host.Publish("cc/handheld/map-cluster-1/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":{{lat}},"lon":{{lon}},"battery":0.9}""");
        await Host.Publish("cc/handheld/map-cluster-2/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":{{lat + 0.001}},"lon":{{lon + 0.001}},"battery":0.9}""");
        await Waiting.Until(() => page.EvaluateAsync<bool>("() => !!window.liveMap.device('handheld/map-cluster-1') && !!window.liveMap.device('handheld/map-cluster-2')"),
            both => both, TimeSpan.FromSeconds(15), "both handhelds on the map");

        await View(page, lat, lon, 10);
        var cluster = await Waiting.Until(() => page.EvaluateAsync<JsonElement>($"() => window.liveMap.deviceLayer.hitAt(window.liveMap.map.latLngToContainerPoint([{lat}, {lon}])) || {{}}"),
            hit => hit.TryGetProperty("cluster", out _), TimeSpan.FromSeconds(5), "a cluster where the two are");
        Assert.Equal(2, cluster.GetProperty("cluster").GetProperty("count").GetInt32());

        await View(page, lat, lon, 16);
        await Waiting.Until(() => DeviceAt(page, lat, lon), key => key == "handheld/map-cluster-1", TimeSpan.FromSeconds(5), "the first handheld on its own");
        Assert.Equal("handheld/map-cluster-2", await DeviceAt(page, lat + 0.001, lon + 0.001));
    }

    [Fact]
    public async Task A_camera_shows_its_view_cone_is_drawn_over_a_sensor_and_its_id_on_hover()
    {
        var page = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        const double lat = 36.4411, lon = 104.2522;
        // A sensor at the very same place first: the camera must still be the one on top.
        await Host.Publish("cc/sensor/map-cone-sensor/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","values":{"a34004":20},"lat":{{lat}},"lon":{{lon}}}""");
        (await Host.Api.PutAsJsonAsync("/api/cameras/map-cone-cam", new
        {
            id = "map-cone-cam", streamUrl = "rtsp://127.0.0.1:9/map-cone-cam", lat, lon, heading = 90, fieldOfView = 60, range = 300, name = "map-cone-cam",
        })).EnsureSuccessStatusCode();
        await Waiting.Until(() => page.EvaluateAsync<bool>("() => !!window.liveMap.device('camera/map-cone-cam')?.view && !!window.liveMap.device('sensor/map-cone-sensor')"),
            both => both, TimeSpan.FromSeconds(15), "the camera with its view and the sensor on the map");
        await View(page, lat, lon, 16);
        await Waiting.Until(() => DeviceAt(page, lat, lon), key => key == "camera/map-cone-cam", TimeSpan.FromSeconds(5), "the camera on top of the sensor");
        Assert.True(await page.EvaluateAsync<int>("() => window.liveMap.drawn().cones") >= 1);

        // Heading 90°: the cone lies east of the camera, nothing of it to the west.
        var (east, west) = (await Pixel(page, lat, lon, 40, 0), await Pixel(page, lat, lon, -40, 0));
        Assert.True(east[3] > 0 && east[0] > 100 && east[2] > 150, $"the cone's violet east of the camera, not rgba({string.Join(",", east)})");
        Assert.Equal(0, west[3]);

        var at = await page.EvaluateAsync<double[]>($"() => {{ const p = window.liveMap.map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }}");
        var box = (await page.Locator("#live-map").BoundingBoxAsync())!;
        await page.Mouse.MoveAsync(box.X + (float)at[0], box.Y + (float)at[1]);
        await Expect(page.Locator("#live-map .map-tooltip")).ToBeVisibleAsync();
        await Expect(page.Locator("#live-map .map-tooltip")).ToHaveTextAsync("Camera map-cone-cam");
    }

    [Fact]
    public async Task An_alert_is_acknowledged_from_its_ring_on_the_map()
    {
        var page = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        const double lat = 36.5877, lon = 104.0444;
        await Host.Publish("cc/handheld/map-ack/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":{{lat}},"lon":{{lon}},"battery":0.9}""");
        await Host.Publish("cc/handheld/map-ack/event", $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"sos","severity":"critical","text":"help"}""");
        var alert = await Waiting.Until(() => Host.Api.AlertOf("map-ack", "sos"), a => a is not null, TimeSpan.FromSeconds(15), "the alert stored");
        var id = alert!.Value.GetProperty("id").GetString()!;
        await Waiting.Until(() => page.EvaluateAsync<bool>($"() => window.liveMap.alerts.has('{id}')"), has => has, TimeSpan.FromSeconds(15), "the alert's ring");

        await page.EvaluateAsync($"() => window.liveMap.alerts.get('{id}').openPopup()");
        await Expect(page.Locator(".leaflet-popup .map-popup")).ToContainTextAsync("Acknowledge");
        // A real click: the popup must not lie under the legend or the layer switches, which would take the click.
        await page.Locator(".leaflet-popup .map-popup button.ack").ClickAsync(new() { Timeout = 10000 });
        await Expect(page.Locator(".leaflet-popup .map-popup .acknowledged")).ToHaveTextAsync("acknowledged");
        var stored = await Waiting.Until(() => Host.Api.AlertOf("map-ack", "sos"), a => a?.GetProperty("state").GetString() == "acknowledged",
            TimeSpan.FromSeconds(10), "the API showing it acknowledged");
        Assert.Equal("operator", stored!.Value.GetProperty("acknowledgedBy").GetString());
        Assert.Empty(_browser.CspViolations(page));
    }

    [Fact]
    public async Task Open_an_incident_here_fills_the_incident_form_with_the_place()
    {
        var page = await _browser.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        const double lat = 36.4811, lon = 104.3911;
        await View(page, lat, lon, 15);
        var at = await page.EvaluateAsync<double[]>($"() => {{ const p = window.liveMap.map.latLngToContainerPoint([{lat}, {lon}]); return [p.x, p.y]; }}");
        var box = (await page.Locator("#live-map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync(box.X + (float)at[0], box.Y + (float)at[1]);
        await page.Locator(".leaflet-popup .map-popup button.open-incident-here").ClickAsync();
        var place = await Waiting.Until(() => page.EvaluateAsync<double[]>("() => window.liveMap.picked ? [window.liveMap.picked.getLatLng().lat, window.liveMap.picked.getLatLng().lng] : []"),
            p => p.Length == 2, TimeSpan.FromSeconds(10), "the place marked for the incident form");
        Assert.InRange(place[0], lat - 0.0005, lat + 0.0005);
        Assert.InRange(place[1], lon - 0.0005, lon + 0.0005);
    }

    private static async Task View(IPage page, double lat, double lon, int zoom)
    {
        await Waiting.Until(() => page.EvaluateAsync<bool>("() => !!(window.liveMap && window.liveMap.map)"), up => up, TimeSpan.FromSeconds(15), "the map up");
        await page.EvaluateAsync($"() => window.liveMap.map.setView([{lat}, {lon}], {zoom}, {{ animate: false }})");
    }

    /// <summary>The device the map drew on top at a place (what a click there opens), or null.</summary>
    private static Task<string?> DeviceAt(IPage page, double lat, double lon) =>
        page.EvaluateAsync<string?>($"() => window.liveMap.deviceAt(window.liveMap.map.latLngToContainerPoint([{lat}, {lon}]))");

    private static Task<int[]> Pixel(IPage page, double lat, double lon, int dx, int dy) => page.EvaluateAsync<int[]>($$"""
        () => {
          const map = window.liveMap.map;
          const p = map.latLngToContainerPoint([{{lat}}, {{lon}}]);
          const canvas = map.getContainer().querySelector("canvas.device-dots");
          const ratio = canvas.width / map.getSize().x;
          return Array.from(canvas.getContext("2d").getImageData(Math.round((p.x + {{dx}}) * ratio), Math.round((p.y + {{dy}}) * ratio), 1, 1).data);
        }
        """);
}
