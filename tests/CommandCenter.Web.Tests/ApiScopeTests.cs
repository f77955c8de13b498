using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CommandCenter.Web.Tests;

/// <summary>A key does what its scopes allow: the shipped wall-screen key (no scope entry) may only read.</summary>
[Collection(SharedHost.Name)]
public sealed class ApiScopeTests(HostFixture fixture)
{
    private const string WallScreenKey = "change-me-wall-screen-key";
    private CommandCenterProcess Host => fixture.Host;

    [Fact]
    public async Task A_read_only_key_reads_but_cannot_acknowledge_or_register_cameras()
    {
        var now = DateTimeOffset.Now;
        for (var i = 0; i < 3; i++) await Host.PublishReading("scope-sensor", 190 + i, now.AddSeconds(i));
        var alert = await Host.Api.AlertOf("scope-sensor", "exceed-a34004");
        var id = alert!.Value.GetProperty("id").GetString();

        using var wall = new HttpClient { BaseAddress = Host.BaseAddress };
        wall.DefaultRequestHeaders.Add("X-Api-Key", WallScreenKey);
        Assert.Equal(HttpStatusCode.OK, (await wall.GetAsync("/api/alerts?state=active")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await wall.GetAsync("/api/devices")).StatusCode);

        var acknowledge = await wall.PostAsync($"/api/alerts/{id}/acknowledge", null);
        Assert.Equal(HttpStatusCode.Forbidden, acknowledge.StatusCode);
        var problem = await acknowledge.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains("'operate' scope", problem.GetProperty("detail").GetString());
        Assert.Equal("active-unacknowledged", (await Host.Api.AlertOf("scope-sensor", "exceed-a34004"))!.Value.GetProperty("state").GetString());

        var camera = new { id = "scope-cam", streamUrl = "rtsp://127.0.0.1:9/scope", lat = 36.5, lon = 104.1, heading = 0, fieldOfView = 60, range = 100, name = "scope" };
        var register = await wall.PutAsJsonAsync("/api/cameras/scope-cam", camera);
        Assert.Equal(HttpStatusCode.Forbidden, register.StatusCode);
        Assert.Contains("'admin' scope", (await register.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Api.GetAsync("/api/devices/camera/scope-cam")).StatusCode);

        // The tests' key holds every scope and does both.
        Assert.Equal(HttpStatusCode.OK, (await Host.Api.PostAsync($"/api/alerts/{id}/acknowledge", null)).StatusCode);
        Assert.Equal(HttpStatusCode.NoContent, (await Host.Api.PutAsJsonAsync("/api/cameras/scope-cam", camera)).StatusCode);
    }
}
