using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Playwright;
using CommandCenter.Simulators.Cameras;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Cameras end to end: simulated RTSP cameras (real RTSP over TCP, pictures encoded by ffmpeg), registered
/// over the API, relayed by the command center's ffmpeg, played by chromium on the video wall.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class VideoWallTests : IAsyncLifetime
{
    private const string CameraPassword = "Wall-Pa55";
    private static readonly (double Lat, double Lon) Square = (36.5450, 104.1380);

    private readonly CommandCenterProcess _host = new(settings: new Dictionary<string, string>
    {
        ["VideoRelay__ReadTimeout"] = "00:00:02",
        ["VideoRelay__StallTimeout"] = "00:00:04",
        ["VideoRelay__RestartBackoffInitial"] = "00:00:00.500",
        ["VideoRelay__RestartBackoffMax"] = "00:00:02",
    });
    private readonly SimulatedCameraServer _cameras = new(new SimulatedCameraOptions
    {
        Port = 0, CameraCount = 2, UserName = "wall", Password = CameraPassword, EncoderLinger = TimeSpan.FromSeconds(1),
    }, NullLoggerFactory.Instance);
    private Browser _browser = null!;

    public async Task InitializeAsync()
    {
        _cameras.Start();
        await _host.Start();
        _browser = await Browser.Launch();
        // cam-0001 stands 100 m south of the square looking north; cam-0002 a kilometre away.
        await Register("cam-0001", Square.Lat - 0.0009, Square.Lon, heading: 0);
        await Register("cam-0002", Square.Lat + 0.009, Square.Lon, heading: 0);
    }

    public async Task DisposeAsync()
    {
        await _browser.DisposeAsync();
        await _host.DisposeAsync();
        await _cameras.DisposeAsync();
    }

    private async Task Register(string id, double lat, double lon, double heading)
    {
        var response = await _host.Api.PutAsJsonAsync($"/api/cameras/{id}", new
        {
            id, streamUrl = _cameras.UrlFor(id).ToString(), lat, lon, heading, fieldOfView = 60, range = 300, name = $"Test {id}",
        });
        Assert.Equal(HttpStatusCode.NoContent, response.StatusCode);
    }

    private static async Task<double> PlayedSeconds(IPage page, string camera) =>
        await page.EvaluateAsync<double>($"() => document.getElementById('video-{camera}')?.currentTime ?? 0");

    [Fact]
    public async Task A_registered_camera_plays_live_on_the_wall_and_its_credentials_stay_on_the_server()
    {
        using var anonymous = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };
        var unsigned = await anonymous.GetAsync("/video/cam-0001/index.m3u8");
        Assert.NotEqual(HttpStatusCode.OK, unsigned.StatusCode);

        var page = await _browser.SignIn(_host.BaseAddress, "operator", "Operator#2026");
        await page.GotoAsync("/wall?camera=cam-0001");
        await Expect(page.Locator("figure[data-camera='cam-0001'] video")).ToBeVisibleAsync();

        var started = await Waiting.Until(() => PlayedSeconds(page, "cam-0001"), t => t > 0.5, TimeSpan.FromSeconds(30), "playing");
        var later = await Waiting.Until(() => PlayedSeconds(page, "cam-0001"), t => t > started + 1, TimeSpan.FromSeconds(15), "advancing");
        Assert.True(later > started);
        await Expect(page.Locator("figure[data-camera='cam-0001'] .health")).ToHaveTextAsync("live");

        var status = await page.APIRequest.GetAsync("video/status");
        Assert.True(status.Ok);
        Assert.DoesNotContain(CameraPassword, await status.TextAsync());
        Assert.DoesNotContain(CameraPassword, await page.ContentAsync());
        Assert.DoesNotContain(CameraPassword, await _host.Api.GetStringAsync("/api/devices"));
        Assert.DoesNotContain(CameraPassword, _host.Log);
        // hls.js plays through MediaSource blob URLs under the Content-Security-Policy.
        Assert.Empty(_browser.CspViolations(page));
    }

    [Fact]
    public async Task An_alert_brings_the_cameras_that_see_it_with_a_snapshot_and_a_stalled_camera_raises_a_public_security_alert()
    {
        var now = DateTimeOffset.Now;
        for (var i = 0; i < 3; i++)
            await _host.Publish("cc/sensor/wall-sensor/telemetry",
                $$"""{"ts":"{{now.AddSeconds(i):O}}","values":{"a21004":{{450 + i}}},"lat":{{Square.Lat}},"lon":{{Square.Lon}}}""");
        var alert = (await _host.Api.AlertOf("wall-sensor", "exceed-a21004"))!.Value;
        Assert.Equal(["cam-0001"], alert.GetProperty("cameras").EnumerateArray().Select(c => c.GetString()));
        var alertId = alert.GetProperty("id").GetString();

        var page = await _browser.SignIn(_host.BaseAddress, "officer", "Officer#2026");
        var evidence = await Waiting.Until(() => page.APIRequest.GetAsync($"evidence/{alertId}/cam-0001.jpg"),
            r => r.Ok, TimeSpan.FromSeconds(30), "holding a snapshot");
        var jpeg = await evidence.BodyAsync();
        Assert.Equal([0xFF, 0xD8], jpeg[..2]);
        Assert.Equal("image/jpeg", evidence.Headers["content-type"]);

        await page.GotoAsync("/");
        await page.Locator($"li.alert[data-alert-id='{alertId}'] a.cameras").ClickAsync();
        // A loaded machine may take seconds to render the wall (it asks the coverage index, and ffmpeg starts the stream).
        const float slow = 20_000;
        await Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex($"wall\\?alert={alertId}"), new() { Timeout = slow });
        await Expect(page.Locator("figure[data-camera='cam-0001'] img.evidence")).ToBeVisibleAsync(new() { Timeout = slow });
        try
        {
            await Waiting.Until(() => PlayedSeconds(page, "cam-0001"), t => t > 0.5, TimeSpan.FromSeconds(60), "playing");
        }
        catch (TimeoutException e)
        {
            // Say what the player was doing: there or not, attached, loading, failed or sized to nothing.
            var state = await page.EvaluateAsync<string>("""
                () => { const v = document.getElementById("video-cam-0001");
                        return JSON.stringify({ exists: !!v, readyState: v?.readyState, networkState: v?.networkState, paused: v?.paused,
                          error: v?.error?.code, width: v?.clientWidth, height: v?.clientHeight, players: [...window.videoWall.players.keys()].map(p => p.id) }); }
                """);
            throw new TimeoutException($"{e.Message}; the player: {state}", e);
        }

        _cameras.Camera("cam-0001").Stall();
        var lost = await Waiting.Until(() => _host.Api.AlertOf("cam-0001", "stream-lost"), a => a is not null, TimeSpan.FromSeconds(30), "lost");
        Assert.Equal("public-security", lost!.Value.GetProperty("network").GetString());
        var camera = await _host.Api.GetFromJsonAsync<JsonElement>("/api/devices/camera/cam-0001");
        Assert.False(camera.GetProperty("streamOnline").GetBoolean());
        await ExpectHealth(page, "stream lost", slow);

        _cameras.Camera("cam-0001").Resume();
        await Waiting.Until(() => _host.Api.AlertOf("cam-0001", "stream-lost"), a => a is null, TimeSpan.FromSeconds(30), "recovered");
        await ExpectHealth(page, "live", slow);
    }

    /// <summary>
    /// The tile's label follows the live feed (grain, feed batch, board push, circuit render), which a loaded machine may
    /// hold up for seconds; a failure quotes what the host warned of (an ended circuit shows there).
    /// </summary>
    private async Task ExpectHealth(IPage page, string text, float timeout)
    {
        try
        {
            await Expect(page.Locator("figure[data-camera='cam-0001'] .health")).ToHaveTextAsync(text, new() { Timeout = timeout });
        }
        catch (PlaywrightException e)
        {
            throw new TimeoutException($"{e.Message}; the host's last warnings:\n{string.Join('\n', _host.LastWarnings(10))}", e);
        }
    }
}
