using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Text a device or an API caller controls, written as an attacker would write it, shown to an operator in chromium
/// on every surface that carries it: the alert feed, every popup on the live map, the video wall. It must read as
/// text and run nothing.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class HostileTextTests() : OwnHostAndBrowser(Settings)
{
    private static readonly Dictionary<string, string> Settings = new Dictionary<string, string>
    {
        ["VideoRelay__ReadTimeout"] = "00:00:01",
        ["VideoRelay__RestartBackoffInitial"] = "00:00:00.200",
        ["VideoRelay__RestartBackoffMax"] = "00:00:01",
    };

    private const double Lat = 36.5452, Lon = 104.1383;

    /// <summary>Each one tries to run script that records itself in window.__pwned and acknowledges every alert.</summary>
    private static readonly string[] Payloads =
    [
        """<img src=x onerror="window.__pwned=1;document.querySelectorAll('button.ack').forEach(b=>b.click())">""",
        "\"><script>window.__pwned=2</script>",
        """<svg onload="window.__pwned=3"></svg>""",
        """</b><a href="javascript:window.__pwned=4" id="pwn-link">click</a>""",
        """javascript:window.__pwned=5""",
        """<iframe srcdoc="<script>parent.__pwned=6</script>"></iframe>""",
    ];

    private const string CameraName = """<img src=y onerror="window.__pwned=7;document.querySelectorAll('button.ack').forEach(b=>b.click())">""";

    [Fact]
    public async Task Hostile_device_text_and_camera_names_show_as_text_on_every_surface_and_run_nothing()
    {
        // Device ids take every character the contract allows, events carry the payloads as their text.
        var now = DateTimeOffset.Now;
        var devices = Payloads.Select((_, i) => $"x.-_Y{i}").ToArray();
        for (var i = 0; i < Payloads.Length; i++)
        {
            await Host.Publish($"cc/handheld/{devices[i]}/telemetry",
                JsonSerializer.Serialize(new { ts = now, lat = Lat + i * 0.001, lon = Lon, battery = 0.8 }));
            await Host.Publish($"cc/handheld/{devices[i]}/event",
                JsonSerializer.Serialize(new { ts = now, type = "sos", severity = "critical", text = Payloads[i] }));
        }

        // A camera named by an API key holder, at an address that answers nothing: its stream-lost alert carries the name.
        var register = await Host.Api.PutAsJsonAsync("/api/cameras/hostile-cam", new
        {
            id = "hostile-cam", streamUrl = "rtsp://127.0.0.1:9/x", lat = Lat, lon = Lon + 0.002, heading = 0,
            fieldOfView = 60, range = 300, name = CameraName,
        });
        Assert.Equal(HttpStatusCode.NoContent, register.StatusCode);

        var page = await Chromium.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        await page.GotoAsync("/wall?camera=hostile-cam");
        var lost = await Waiting.Until(() => Host.Api.AlertOf("hostile-cam", "stream-lost"), a => a is not null,
            TimeSpan.FromSeconds(60), "reported lost");
        var lostId = lost!.Value.GetProperty("id").GetString();
        await page.GotoAsync($"/wall?alert={lostId}");
        // A lost stream's title is built at display time from the alert's parts: it names the camera by its id.
        await Expect(page.Locator(".wall-bar h2")).ToContainTextAsync("hostile-cam");

        await page.GotoAsync("/");
        foreach (var (device, payload) in devices.Zip(Payloads))
            await Expect(page.Locator($"li.alert[data-device='{device}'] .title")).ToHaveTextAsync(payload);
        await Expect(page.Locator("li.alert[data-device='hostile-cam'] .title")).ToContainTextAsync("hostile-cam");
        await Expect(page.Locator("li.alert button.ack")).ToHaveCountAsync(devices.Length + 1);

        // Every popup on the map opened, one after the other, as an operator clicking through them would.
        await Waiting.Until(() => page.EvaluateAsync<int>("() => window.liveMap.alerts.size"), n => n == devices.Length + 1,
            TimeSpan.FromSeconds(15), "showing every alert ring");
        var popups = await page.EvaluateAsync<string[]>("""
            async () => {
              const texts = [];
              // Devices are dots on one canvas: each opens its popup as a click on it does.
              for (const key of window.liveMap.devices.keys()) {
                texts.push(window.liveMap.openDevicePopup(key).textContent);
                await new Promise(r => setTimeout(r, 50));
              }
              for (const layer of window.liveMap.alerts.values()) {
                layer.openPopup();
                await new Promise(r => setTimeout(r, 50));
                texts.push(layer.getPopup().getElement().textContent);
              }
              return texts;
            }
            """);
        foreach (var payload in Payloads) Assert.Contains(popups, text => text.Contains(payload));
        // The map's ring titles are built at display time from the alert's parts: a lost stream names its camera by id.
        Assert.Contains(popups, text => text.Contains("hostile-cam"));
        foreach (var device in devices) Assert.Contains(popups, text => text.Contains(device));
        // Broken images report their error within a moment; give any that slipped through the time to run.
        await page.WaitForTimeoutAsync(1000);

        Assert.Equal("undefined", await page.EvaluateAsync<string>("() => typeof window.__pwned"));
        Assert.Equal(0, await page.Locator("#pwn-link").CountAsync());
        foreach (var device in devices.Append("hostile-cam"))
        {
            var alert = devices.Contains(device) ? await Host.Api.AlertOf(device, "sos") : await Host.Api.AlertOf(device, "stream-lost");
            Assert.Equal("active-unacknowledged", alert!.Value.GetProperty("state").GetString());
        }
        Assert.Empty(Chromium.CspViolations(page));

        // Should markup ever slip through, the browser still runs only the dashboard's own script files.
        var headers = (await page.APIRequest.GetAsync("/")).Headers;
        var policy = headers["content-security-policy"].Split([';', ',', '\n'], StringSplitOptions.TrimEntries);
        Assert.DoesNotContain("frame-ancestors 'self'", policy);
        Assert.Contains("script-src 'self'", policy);
        Assert.Contains("object-src 'none'", policy);
        Assert.Contains("frame-ancestors 'none'", policy);
        Assert.Equal("nosniff", headers["x-content-type-options"]);
    }
}
