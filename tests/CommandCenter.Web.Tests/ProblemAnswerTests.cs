using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Every 4xx under /api and /hubs has a problem-details body with its status and a title, whichever part of the
/// stack refused (routing, authentication, binding, the rate limiter); Open311 answers with the spec's
/// error array; pages keep their redirect to the sign-in page. The host's zone here is not the default one.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class ProblemAnswerTests : IAsyncLifetime
{
    private const string WallScreenKey = "change-me-wall-screen-key";
    private readonly CommandCenterProcess _host = new(settings: new Dictionary<string, string>
    {
        ["RateLimits__ApiPerMinute"] = "40",
        ["Display__TimeZone"] = "Asia/Kolkata",
    });

    public Task InitializeAsync() => _host.Start();
    public async Task DisposeAsync() => await _host.DisposeAsync();

    public static TheoryData<string, string, string?, string?, string?, HttpStatusCode> Refusals => new()
    {
        // method, path, key, body, content type, status
        { "GET", "/api/no-such-route", CommandCenterProcess.ApiKey, null, null, HttpStatusCode.NotFound },
        { "GET", "/api/no-such-route", null, null, null, HttpStatusCode.NotFound },
        { "DELETE", "/api/alerts", CommandCenterProcess.ApiKey, null, null, HttpStatusCode.MethodNotAllowed },
        { "GET", "/api/alerts", null, null, null, HttpStatusCode.Unauthorized },
        { "GET", "/api/alerts", CommandCenterProcess.ReportKey, null, null, HttpStatusCode.Forbidden },
        { "GET", "/api/devices?online=maybe", CommandCenterProcess.ApiKey, null, null, HttpStatusCode.BadRequest },
        { "GET", "/api/devices?kind=robot", CommandCenterProcess.ApiKey, null, null, HttpStatusCode.BadRequest },
        { "POST", "/api/incidents", CommandCenterProcess.ApiKey, "type=accident", "text/plain", HttpStatusCode.UnsupportedMediaType },
        { "GET", "/api/enforcement/queue", null, null, null, HttpStatusCode.Unauthorized },
        { "POST", "/hubs/live/negotiate?negotiateVersion=1", null, null, null, HttpStatusCode.Unauthorized },
        { "POST", "/hubs/live/negotiate?negotiateVersion=1", CommandCenterProcess.ReportKey, null, null, HttpStatusCode.Forbidden },
        { "GET", "/hubs/no-such-hub", null, null, null, HttpStatusCode.NotFound },
    };

    [Theory]
    [MemberData(nameof(Refusals))]
    public async Task A_refusal_has_a_problem_body(string method, string path, string? key, string? body, string? contentType, HttpStatusCode status)
    {
        using var client = new HttpClient { BaseAddress = _host.BaseAddress };
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (key is not null) request.Headers.Add("X-Api-Key", key);
        if (body is not null) request.Content = new StringContent(body, Encoding.UTF8, contentType!);
        using var response = await client.SendAsync(request);

        Assert.Equal(status, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal((int)status, problem.GetProperty("status").GetInt32());
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("title").GetString()));
        Assert.False(string.IsNullOrWhiteSpace(problem.GetProperty("detail").GetString()));
    }

    [Fact]
    public async Task Too_many_requests_is_a_problem_too()
    {
        using var wall = new HttpClient { BaseAddress = _host.BaseAddress };
        wall.DefaultRequestHeaders.Add("X-Api-Key", WallScreenKey);
        HttpResponseMessage? refused = null;
        for (var i = 0; i < 100 && refused is null; i++)
        {
            var response = await wall.GetAsync("/api/devices/counts");
            if (response.StatusCode == HttpStatusCode.TooManyRequests) refused = response;
        }
        Assert.NotNull(refused);
        await AlertApiTests.AssertProblem(refused, HttpStatusCode.TooManyRequests, "try again");
    }

    [Fact]
    public async Task Open311_answers_an_unknown_route_with_the_spec_error_array_and_pages_still_redirect()
    {
        using var client = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { BaseAddress = _host.BaseAddress };
        var open311 = await client.GetAsync("/open311/v2/no-such-route.json");
        Assert.Equal(HttpStatusCode.NotFound, open311.StatusCode);
        var error = Assert.Single((await open311.Content.ReadFromJsonAsync<JsonElement[]>())!);
        Assert.Equal(404, error.GetProperty("code").GetInt32());
        Assert.Contains("no-such-route", error.GetProperty("description").GetString());

        var page = await client.GetAsync("/");
        Assert.Equal(HttpStatusCode.Redirect, page.StatusCode);
        Assert.Contains("/login", page.Headers.Location!.ToString());
    }

    [Fact]
    public async Task Times_are_written_in_the_configured_zone()
    {
        var statistics = await _host.Api.GetFromJsonAsync<JsonElement>("/api/cases/statistics");
        Assert.EndsWith("+05:30", statistics.GetProperty("from").GetString());
        Assert.EndsWith("+05:30", statistics.GetProperty("to").GetString());
        var csv = await _host.Api.GetStringAsync("/api/cases/statistics.csv");
        Assert.Contains(" +05:30", csv);
        Assert.DoesNotContain("+08:00", csv);
    }
}
