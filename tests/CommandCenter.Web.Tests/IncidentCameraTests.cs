using System.Net.Http.Json;
using System.Text.Json;

namespace CommandCenter.Web.Tests;

/// <summary>An incident opened through the API from scratch (no alert) links the cameras that see its place.</summary>
[Collection(SharedHost.Name)]
public sealed class IncidentCameraTests(HostFixture fixture)
{
    private const double Lat = 36.5520, Lon = 104.1600;
    private CommandCenterProcess Host => fixture.Host;

    [Fact]
    public async Task An_incident_opened_from_scratch_links_the_cameras_that_see_its_place()
    {
        // One camera 100 m south looking north at the place; one 3 km north, beyond the fallback of nearby cameras.
        await Camera("inc-cam-sees", Lat - 0.0009, heading: 0);
        await Camera("inc-cam-away", Lat + 0.027, heading: 0);

        var opened = await Host.Api.PostAsJsonAsync("/api/incidents",
            new { type = "accident", level = "IV", lat = Lat, lon = Lon, title = "Reported by phone: a car on fire" });
        opened.EnsureSuccessStatusCode();
        var incident = await opened.Content.ReadFromJsonAsync<JsonElement>();

        var cameras = incident.GetProperty("cameras").EnumerateArray().Select(c => c.GetString()).ToArray();
        Assert.Contains("inc-cam-sees", cameras);
        Assert.DoesNotContain("inc-cam-away", cameras);
    }

    private async Task Camera(string id, double lat, int heading) =>
        (await Host.Api.PutAsJsonAsync($"/api/cameras/{id}", new
        {
            id, streamUrl = $"rtsp://127.0.0.1:9/{id}", lat, lon = Lon, heading, fieldOfView = 60, range = 300, name = id,
        })).EnsureSuccessStatusCode();
}
