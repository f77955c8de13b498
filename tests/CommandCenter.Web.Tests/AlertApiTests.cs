using System.Net;
using System.Net.Http.Json;
using System.Text.Json;

namespace CommandCenter.Web.Tests;

/// <summary>One alert by id, clearing it over the API as the dashboard's button does, and the device list's filters.</summary>
[Collection(SharedHost.Name)]
public sealed class AlertApiTests(HostFixture fixture)
{
    private const string WallScreenKey = "change-me-wall-screen-key";
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private CommandCenterProcess Host => fixture.Host;

    [Fact]
    public async Task One_alert_reads_as_the_list_gives_it_with_its_peak_and_clears_once()
    {
        var now = DateTimeOffset.UtcNow;
        await Host.PublishReading("alert-api-sensor", 190, now);
        await Host.PublishReading("alert-api-sensor", 200, now.AddSeconds(1));
        await Host.PublishReading("alert-api-sensor", 260, now.AddSeconds(2));
        var listed = await Waiting.Until(() => Host.Api.AlertOf("alert-api-sensor", "exceed-a34004"),
            a => a is { } alert && alert.GetProperty("peak").ValueKind == JsonValueKind.Number,
            Timeout, "the exceedance alert with its peak");
        var id = listed!.Value.GetProperty("id").GetString()!;

        var one = await Host.Api.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}");
        Assert.Equal(id, one.GetProperty("id").GetString());
        Assert.Equal(listed.Value.GetProperty("title").GetString(), one.GetProperty("title").GetString());
        Assert.Equal(JsonValueKind.Array, one.GetProperty("cameras").ValueKind);
        Assert.True(one.GetProperty("peak").GetDouble() >= 260);
        Assert.True(one.TryGetProperty("peakAt", out var peakAt) && peakAt.ValueKind == JsonValueKind.String);

        var unknown = await Host.Api.GetAsync("/api/alerts/no-such-alert");
        await AssertProblem(unknown, HttpStatusCode.NotFound, "no-such-alert");

        using var wall = new HttpClient { BaseAddress = Host.BaseAddress };
        wall.DefaultRequestHeaders.Add("X-Api-Key", WallScreenKey);
        await AssertProblem(await wall.PostAsync($"/api/alerts/{id}/clear", null), HttpStatusCode.Forbidden, "'operate' scope");

        var cleared = await Host.Api.PostAsync($"/api/alerts/{id}/clear", null);
        Assert.Equal(HttpStatusCode.OK, cleared.StatusCode);
        var answer = await cleared.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("cleared", answer.GetProperty("state").GetString());
        Assert.Equal("api:tests", answer.GetProperty("clearedBy").GetString());
        // Stored, not only answered: the list and the single read agree.
        Assert.Equal("cleared", (await Host.Api.GetFromJsonAsync<JsonElement>($"/api/alerts/{id}")).GetProperty("state").GetString());
        Assert.Null(await Host.Api.AlertOf("alert-api-sensor", "exceed-a34004"));

        await AssertProblem(await Host.Api.PostAsync($"/api/alerts/{id}/clear", null), HttpStatusCode.Conflict, "already cleared");
        await AssertProblem(await Host.Api.PostAsync("/api/alerts/no-such-alert/clear", null), HttpStatusCode.NotFound, "no-such-alert");
    }

    [Fact]
    public async Task The_device_list_narrows_to_a_kind_a_network_or_the_online_ones()
    {
        await Host.PublishReading("kind-filter-sensor", 20, DateTimeOffset.UtcNow);
        await Host.Publish("cc/handheld/kind-filter-handheld/telemetry", $$"""{"ts":"{{DateTimeOffset.UtcNow:O}}","lat":36.55,"lon":104.17,"battery":0.8}""");
        await Waiting.Until(() => Host.Api.GetFromJsonAsync<JsonElement[]>("/api/devices"),
            all => all!.Any(d => Id(d) == "kind-filter-sensor") && all!.Any(d => Id(d) == "kind-filter-handheld"), Timeout, "both devices listed");

        var sensors = (await Host.Api.GetFromJsonAsync<JsonElement[]>("/api/devices?kind=sensor"))!;
        Assert.Contains(sensors, d => Id(d) == "kind-filter-sensor");
        Assert.All(sensors, d => Assert.Equal("sensor", d.GetProperty("kind").GetString()));

        var cityManagement = (await Host.Api.GetFromJsonAsync<JsonElement[]>("/api/devices?network=city-management&online=true"))!;
        Assert.Contains(cityManagement, d => Id(d) == "kind-filter-handheld");
        Assert.All(cityManagement, d => Assert.Equal("handheld", d.GetProperty("kind").GetString()));
        Assert.All(cityManagement, d => Assert.True(d.GetProperty("online").GetBoolean()));
        Assert.DoesNotContain((await Host.Api.GetFromJsonAsync<JsonElement[]>("/api/devices?online=false"))!, d => Id(d) == "kind-filter-handheld");

        await AssertProblem(await Host.Api.GetAsync("/api/devices?kind=robot"), HttpStatusCode.BadRequest, "handheld, sensor, camera");
        await AssertProblem(await Host.Api.GetAsync("/api/devices?network=water"), HttpStatusCode.BadRequest, "city-management, environment, public-security");
    }

    private static string? Id(JsonElement device) => device.GetProperty("id").GetString();

    internal static async Task<JsonElement> AssertProblem(HttpResponseMessage response, HttpStatusCode status, string mentioned)
    {
        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("title").GetString()));
        Assert.Contains(mentioned, problem.GetProperty("detail").GetString());
        return problem;
    }
}
