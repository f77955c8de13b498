using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace CommandCenter.Web.Tests;

/// <summary>A body the API cannot read is answered with a problem-details body that says why, not a bare 400.</summary>
[Collection(SharedHost.Name)]
public sealed class UnreadableRequestTests(HostFixture fixture)
{
    private CommandCenterProcess Host => fixture.Host;

    [Theory]
    [InlineData("POST", "/api/incidents", "{\"type\":\"accident\",\"level\":", "JSON")]
    [InlineData("POST", "/api/incidents", "[1,2,3]", "JSON")]
    [InlineData("PUT", "/api/devices/sensor/unreadable-1", "{\"secret\":\"0123456789abcdef0123\",\"lat\":\"north\"}", "lat")]
    public async Task An_unreadable_body_gets_a_problem_saying_why(string method, string path, string body, string mentioned)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path) { Content = new StringContent(body, Encoding.UTF8, "application/json") };
        var response = await Host.Api.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(mentioned, problem.GetProperty("detail").GetString());
        // Nothing of it was applied: the device is registered afresh afterwards.
        if (method == "PUT") Assert.Equal(HttpStatusCode.Created, (await Host.Api.PutAsJsonAsync(path, new { secret = "0123456789abcdef0123" })).StatusCode);
    }
}
