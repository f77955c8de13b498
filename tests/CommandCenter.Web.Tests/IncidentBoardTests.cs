using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// The dispatcher's incident board on the live page in Debian's chromium: from a handheld's sos alert to an incident,
/// the nearest inspector sent, their handheld (mosquitto_sub / mosquitto_pub with its own credentials) answering, and
/// the board and map following without a reload.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class IncidentBoardTests() : OwnHostAndBrowser(Settings)
{
    // A short acknowledgement wait, so a unit that never answers turns overdue within seconds.
    private static readonly Dictionary<string, string> Settings = new() { ["Dispatch__AckTimeout"] = "00:00:04" };

    /// <summary>The sos comes from here; the near inspector is about 120 m away, the far one about 1.1 km.</summary>
    private const double Lat = 36.5461, Lon = 104.1402;
    private static readonly (double Lat, double Lon) NearPlace = (36.5472, 104.1402);
    private static readonly (double Lat, double Lon) FarPlace = (36.5560, 104.1402);

    private const string HostileTitle = """<img src=x onerror="window.__pwned=1">Help at the <b>market</b>""";

    [Fact]
    public async Task An_operator_opens_an_incident_from_an_sos_dispatches_the_nearest_unit_and_sees_it_acknowledged_live()
    {
        await Inspector("brd-near", "Zhang Wei", NearPlace);
        await Inspector("brd-far", "Li Na", FarPlace);
        // The inspector in trouble: their sos carries the place; their handheld then drops out, so it is not offered.
        await Inspector("brd-sos", null, (Lat, Lon));
        await Host.Publish("cc/handheld/brd-sos/event",
            JsonSerializer.Serialize(new { ts = DateTimeOffset.Now, type = "sos", severity = "critical", text = HostileTitle }));
        await Host.Publish("cc/handheld/brd-sos/status", $$"""{"ts":"{{DateTimeOffset.Now:O}}","online":false}""");

        var page = await Chromium.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        // The page is drawn before its live connection is up; a click before that would be lost. The map is set up over it.
        await Waiting.Until(() => page.EvaluateAsync<bool>("() => !!(window.liveMap && window.liveMap.map)"), up => up,
            TimeSpan.FromSeconds(15), "connected");
        var sos = page.Locator("li.alert[data-device='brd-sos'][data-alert-type='sos']");
        await sos.Locator("button.open-incident").ClickAsync();
        await Expect(page.Locator("#incident-title")).ToHaveValueAsync(HostileTitle);
        await Expect(page.Locator("#incident-type")).ToHaveValueAsync("SocialSafety");
        await page.SelectOptionAsync("#incident-level", "3");
        await page.ClickAsync("#open-incident");

        var card = page.Locator("li.incident");
        await Expect(card).ToHaveCountAsync(1);
        await Expect(card).ToHaveAttributeAsync("data-level", "III");
        await Expect(card).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("level-yellow"));
        await Expect(card.Locator(".title")).ToHaveTextAsync(HostileTitle);
        var id = (await card.GetAttributeAsync("data-incident"))!;
        var incident = await Host.Api.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");
        Assert.Equal("operator", incident.GetProperty("openedBy").GetString());
        Assert.Single(incident.GetProperty("alerts").EnumerateArray());
        Assert.Equal(Lat, incident.GetProperty("place").GetProperty("lat").GetDouble(), 6);
        // Taking the alert into an incident acknowledges it.
        await Expect(sos.Locator(".state")).ToHaveTextAsync("acknowledged by operator");
        await Expect(sos.Locator("button.open-incident")).ToHaveCountAsync(0);

        // One click sends the nearest available inspector; their handheld gets the task and accepts it.
        var dispatch = card.Locator("button.dispatch-nearest");
        await Expect(dispatch).ToHaveAttributeAsync("data-unit", "brd-near");
        using var handheld = Listen("brd-near");
        await Task.Delay(TimeSpan.FromSeconds(1)); // mosquitto_sub prints nothing once subscribed
        await dispatch.ClickAsync();
        var task = JsonDocument.Parse((await handheld.StandardOutput.ReadLineAsync())!).RootElement;
        Assert.Equal(id, task.GetProperty("args").GetProperty("incident").GetString());
        var near = card.Locator("li.unit[data-unit='brd-near']");
        await Expect(near).ToHaveAttributeAsync("data-status", "dispatched");
        await Host.MosquittoPub(["-u", "brd-near", "-P", CommandCenterProcess.SecretOf("brd-near"), "-q", "1", "-t", "cc/handheld/brd-near/cmd/ack",
            "-m", $$"""{"ts":"{{DateTimeOffset.Now:O}}","cmdId":"{{task.GetProperty("cmdId").GetString()}}","result":"accepted"}"""]);
        await Expect(near).ToHaveAttributeAsync("data-status", "acknowledged");
        await Expect(near.Locator(".status")).ToContainTextAsync("Acknowledged");
        await Expect(near.Locator(".steps li")).ToHaveCountAsync(2);
        await Expect(near.Locator(".steps li").Last).ToContainTextAsync("brd-near accepted the task");

        // On the map: the incident in its level's colour, a route line from the unit, the title as text in the popup.
        await Expect(page.Locator($".incident-marker.level-yellow[data-incident='{id}']")).ToHaveCountAsync(1);
        await Waiting.Until(() => page.EvaluateAsync<string[]>("() => [...window.liveMap.routes.keys()]"),
            keys => keys.SequenceEqual([$"{id}/brd-near"]), TimeSpan.FromSeconds(10), "drawing the route line");
        var popup = await page.EvaluateAsync<string>($$"""
            async () => {
              const marker = window.liveMap.incidents.get("{{id}}");
              marker.openPopup();
              await new Promise(r => setTimeout(r, 50));
              return marker.getPopup().getElement().textContent;
            }
            """);
        Assert.Contains(HostileTitle, popup);
        Assert.Contains("brd-near acknowledged", popup);

        // The next nearest goes too, and never answers: overdue once Dispatch:AckTimeout has passed.
        await Expect(dispatch).ToHaveAttributeAsync("data-unit", "brd-far");
        await dispatch.ClickAsync();
        var far = card.Locator("li.unit[data-unit='brd-far']");
        await Expect(far).ToHaveAttributeAsync("data-status", "dispatched");
        await Expect(far).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("overdue"), new() { Timeout = 15_000 });
        await Expect(far.Locator(".why")).ToContainTextAsync("not acknowledged");
        await Expect(near).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex("overdue"));
        await Expect(card.Locator(".actions .empty")).ToBeVisibleAsync();

        await card.Locator("button.raise").ClickAsync();
        await Expect(card).ToHaveAttributeAsync("data-level", "II");
        await Expect(card).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("level-orange"));
        await Expect(page.Locator($".incident-marker.level-orange[data-incident='{id}']")).ToHaveCountAsync(1);

        // Closing needs a report: refused with its reason first, then closed.
        await card.Locator("button.close-incident").ClickAsync();
        await card.Locator("button.confirm-close").ClickAsync();
        await Expect(card.Locator(".error")).ToContainTextAsync("report must be");
        await card.Locator("textarea.report").FillAsync("Inspector Zhang reached the market; the crowd dispersed.");
        await card.Locator("button.confirm-close").ClickAsync();
        await Expect(card).ToHaveCountAsync(0);
        await Expect(page.Locator(".incident-marker")).ToHaveCountAsync(0);
        var closed = await Host.Api.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");
        Assert.Equal("closed", closed.GetProperty("state").GetString());
        Assert.Equal("operator", closed.GetProperty("timeline").EnumerateArray().Last().GetProperty("by").GetString());

        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__pwned"));
        Assert.Empty(Chromium.CspViolations(page));
    }

    [Fact]
    public async Task An_operator_opens_an_incident_from_scratch_at_the_place_clicked_on_the_map()
    {
        // A camera south of the place looking north at it: the incident links it.
        (await Host.Api.PutAsJsonAsync("/api/cameras/brd-cam", new
        {
            id = "brd-cam", streamUrl = "rtsp://127.0.0.1:9/brd", lat = Lat - 0.0009, lon = Lon, heading = 0, fieldOfView = 60, range = 300, name = "brd-cam",
        })).EnsureSuccessStatusCode();
        const string title = "Phone call: a tree fell across Beijing Road";

        var page = await Chromium.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        await Waiting.Until(() => page.EvaluateAsync<bool>("() => !!(window.liveMap && window.liveMap.map)"), up => up,
            TimeSpan.FromSeconds(15), "connected");
        await page.ClickAsync("#new-incident");
        var cue = page.Locator("#live-map .map-pick-cue");

        // Esc leaves pick mode without setting a place.
        await page.ClickAsync("#pick-place");
        await Expect(cue).ToBeVisibleAsync();
        await Expect(page.Locator("#live-map")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("picking"));
        await page.Keyboard.PressAsync("Escape");
        await Expect(cue).ToHaveCountAsync(0);
        await Expect(page.Locator("#pick-place")).ToBeEnabledAsync();
        await Expect(page.Locator("#incident-lat")).ToHaveValueAsync("");

        // The map's next click sets the place: a click where (Lat, Lon) is drawn.
        await page.ClickAsync("#pick-place");
        await Expect(cue).ToBeVisibleAsync();
        var point = await page.EvaluateAsync<double[]>("""
            ([lat, lon]) => {
              const map = window.liveMap.map;
              map.setView([lat, lon], 17, { animate: false });
              const p = map.latLngToContainerPoint([lat, lon]);
              return [p.x, p.y];
            }
            """, new[] { Lat, Lon });
        var box = (await page.Locator("#live-map").BoundingBoxAsync())!;
        await page.Mouse.ClickAsync((float)(box.X + point[0]), (float)(box.Y + point[1]));
        await Expect(cue).ToHaveCountAsync(0);
        await Expect(page.Locator("#incident-lat")).Not.ToHaveValueAsync("");
        var picked = (Lat: double.Parse(await page.InputValueAsync("#incident-lat"), CultureInfo.InvariantCulture),
            Lon: double.Parse(await page.InputValueAsync("#incident-lon"), CultureInfo.InvariantCulture));
        Assert.InRange(Metres(picked, (Lat, Lon)), 0, 5);
        await Expect(page.Locator("#incident-cameras")).ToContainTextAsync("1 ");
        // The map draws on a canvas: the picked mark is seen through the map's own state.
        Assert.Equal(point, await page.EvaluateAsync<double[]>("""
            () => { const p = window.liveMap.map.latLngToContainerPoint(window.liveMap.picked.getLatLng()); return [Math.round(p.x), Math.round(p.y)]; }
            """), (a, b) => Math.Abs(a - b) <= 1);

        await page.FillAsync("#incident-title", title);
        await page.FillAsync("#incident-description", "The caller says both lanes are blocked.");
        await page.SelectOptionAsync("#incident-type", "NaturalDisaster");
        await page.SelectOptionAsync("#incident-level", "2");

        // Out of range: refused in the form with the API's reason, nothing opened.
        await page.FillAsync("#incident-lat", "200");
        await page.ClickAsync("#open-incident");
        await Expect(page.Locator("#incident-form .error")).ToContainTextAsync("lat must be -90..90");
        var card = page.Locator("li.incident", new() { HasText = title });
        await Expect(card).ToHaveCountAsync(0);

        await page.FillAsync("#incident-lat", picked.Lat.ToString("R", CultureInfo.InvariantCulture));
        await page.ClickAsync("#open-incident");
        await Expect(card).ToHaveCountAsync(1);
        await Expect(page.Locator("#incident-form")).ToHaveCountAsync(0);
        await Expect(card).ToHaveAttributeAsync("data-level", "II");
        var shown = card.Locator(".place");
        var onBoard = (Lat: double.Parse((await shown.GetAttributeAsync("data-lat"))!, CultureInfo.InvariantCulture),
            Lon: double.Parse((await shown.GetAttributeAsync("data-lon"))!, CultureInfo.InvariantCulture));
        Assert.InRange(Metres(onBoard, (Lat, Lon)), 0, 5);
        var id = (await card.GetAttributeAsync("data-incident"))!;
        await Expect(page.Locator($".incident-marker.level-orange[data-incident='{id}']")).ToHaveCountAsync(1);
        await Waiting.Until(() => page.EvaluateAsync<bool>("() => window.liveMap.picked === null"), gone => gone, TimeSpan.FromSeconds(5), "the picked mark going");

        var incident = await Host.Api.GetFromJsonAsync<JsonElement>($"/api/incidents/{id}");
        var place = incident.GetProperty("place");
        Assert.InRange(Metres((place.GetProperty("lat").GetDouble(), place.GetProperty("lon").GetDouble()), (Lat, Lon)), 0, 5);
        Assert.Equal("operator", incident.GetProperty("openedBy").GetString());
        Assert.Equal("natural-disaster", incident.GetProperty("type").GetString());
        Assert.Equal("The caller says both lanes are blocked.", incident.GetProperty("description").GetString());
        Assert.Empty(incident.GetProperty("alerts").EnumerateArray());
        Assert.Equal(["brd-cam"], incident.GetProperty("cameras").EnumerateArray().Select(c => c.GetString()));
        var opened = Assert.Single(incident.GetProperty("timeline").EnumerateArray());
        Assert.Equal("operator", opened.GetProperty("by").GetString());
        Assert.Empty(Chromium.CspViolations(page));
    }

    /// <summary>Great-circle distance, near enough for a few metres.</summary>
    private static double Metres((double Lat, double Lon) a, (double Lat, double Lon) b)
    {
        var dLat = (b.Lat - a.Lat) * 111_195;
        var dLon = (b.Lon - a.Lon) * 111_195 * Math.Cos(a.Lat * Math.PI / 180);
        return Math.Sqrt(dLat * dLat + dLon * dLon);
    }

    [Fact]
    public async Task Someone_who_is_not_an_operator_sees_the_board_but_cannot_act_on_it()
    {
        await Inspector("brd-watch", null, NearPlace);
        (await Host.Api.PostAsJsonAsync("/api/incidents", new { type = "accident", level = "I", lat = Lat, lon = Lon, title = "Gas leak on Beijing Road" }))
            .EnsureSuccessStatusCode();
        await Host.Publish("cc/handheld/brd-watch/event",
            JsonSerializer.Serialize(new { ts = DateTimeOffset.Now, type = "sos", severity = "critical", text = "watch sos" }));

        var page = await Chromium.SignIn(Host.BaseAddress, "inspector", "Inspector#2026");
        var card = page.Locator("li.incident", new() { HasText = "Gas leak on Beijing Road" });
        await Expect(card).ToHaveClassAsync(new System.Text.RegularExpressions.Regex("level-red"));
        await Expect(card.Locator(".level")).ToContainTextAsync("I extraordinary");
        await Expect(page.Locator("li.alert[data-device='brd-watch']")).ToHaveCountAsync(1);
        Assert.Equal(0, await page.Locator("#new-incident, button.open-incident, button.dispatch-nearest, button.raise, button.close-incident").CountAsync());
    }

    /// <summary>Registers a handheld with a name and has it report where it is.</summary>
    private async Task Inspector(string id, string? name, (double Lat, double Lon) at)
    {
        (await Host.Api.PutAsJsonAsync($"/api/devices/handheld/{id}", new { secret = CommandCenterProcess.SecretOf(id), name })).EnsureSuccessStatusCode();
        await Host.Publish($"cc/handheld/{id}/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":{{at.Lat}},"lon":{{at.Lon}},"battery":0.9}""");
    }

    /// <summary>The handheld's side: mosquitto_sub with its credentials on its command topic, printing the first task.</summary>
    private Process Listen(string id)
    {
        var start = new ProcessStartInfo("mosquitto_sub") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", Host.MqttPort.ToString(), "-u", id, "-P", CommandCenterProcess.SecretOf(id),
                     "-q", "1", "-t", $"cc/handheld/{id}/cmd", "-C", "1", "-W", "60"])
            start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }
}
