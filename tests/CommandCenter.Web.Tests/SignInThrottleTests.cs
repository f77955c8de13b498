using System.Net;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Password guessing against the real host over HTTP. Each test calls from its own loopback addresses
/// (127.0.0.0/8 is all loopback on Linux), which the host counts as separate clients.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class SignInThrottleTests : IAsyncLifetime
{
    private const string Refused = "Wrong user name or password, or too many attempts: wait a minute and try again.";
    private readonly CommandCenterProcess _host = new(settings: new Dictionary<string, string>
    {
        ["RateLimits__SignInPerMinute"] = "10",
        ["RateLimits__ApiPerMinute"] = "30",
    });

    public Task InitializeAsync() => _host.Start();
    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Fifty_guesses_from_one_client_are_throttled_and_the_real_user_still_signs_in_from_another()
    {
        using var attacker = new FormClient(_host.BaseAddress, IPAddress.Parse("127.0.0.3"));
        var answers = new List<HttpStatusCode>();
        for (var i = 0; i < 50; i++) answers.Add((await attacker.SignIn("operator", $"guess-{i}")).StatusCode);

        var firstThrottled = answers.IndexOf(HttpStatusCode.TooManyRequests);
        Assert.InRange(firstThrottled, 1, 10);
        Assert.True(answers.Count(a => a == HttpStatusCode.TooManyRequests) >= 40, string.Join(",", answers));
        var throttled = await attacker.SignIn("operator", "Operator#2026");
        Assert.Equal(HttpStatusCode.TooManyRequests, throttled.StatusCode);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);

        using var realOperator = new FormClient(_host.BaseAddress, IPAddress.Parse("127.0.0.2"));
        var signIn = await realOperator.SignIn("operator", "Operator#2026");
        Assert.True(FormClient.SignedIn(signIn), $"{signIn.StatusCode}: {await FormClient.MessageOf(signIn)}");
    }

    [Fact]
    public async Task Unknown_user_wrong_password_and_a_paused_client_get_the_same_answer()
    {
        using var client = new FormClient(_host.BaseAddress, IPAddress.Parse("127.0.0.4"));
        var unknown = await FormClient.MessageOf(await client.SignIn("no-such-user", "whatever"));
        var wrong = await FormClient.MessageOf(await client.SignIn("operator", "wrong-1"));
        for (var i = 2; i <= 5; i++) await client.SignIn("operator", $"wrong-{i}");
        // Paused now: even the right password gets the same answer from this client, and is not checked.
        var paused = await client.SignIn("operator", "Operator#2026");
        Assert.False(FormClient.SignedIn(paused));

        Assert.Equal(Refused, unknown);
        Assert.Equal(Refused, wrong);
        Assert.Equal(Refused, await FormClient.MessageOf(paused));

        // The account itself is not locked: the operator at another desk signs in.
        using var desk = new FormClient(_host.BaseAddress, IPAddress.Parse("127.0.0.5"));
        Assert.True(FormClient.SignedIn(await desk.SignIn("operator", "Operator#2026")));
    }

    [Fact]
    public async Task An_api_key_over_its_rate_is_told_when_to_return_and_other_keys_are_not_affected()
    {
        using var wall = new HttpClient { BaseAddress = _host.BaseAddress };
        wall.DefaultRequestHeaders.Add("X-Api-Key", "change-me-wall-screen-key");
        var answers = new List<HttpResponseMessage>();
        for (var i = 0; i < 40; i++) answers.Add(await wall.GetAsync("/api/gateway/stats"));

        Assert.Equal(30, answers.Count(a => a.StatusCode == HttpStatusCode.OK));
        var throttled = answers.First(a => a.StatusCode == HttpStatusCode.TooManyRequests);
        Assert.True(throttled.Headers.RetryAfter?.Delta > TimeSpan.Zero);
        Assert.Equal(HttpStatusCode.OK, (await _host.Api.GetAsync("/api/gateway/stats")).StatusCode);
    }
}
