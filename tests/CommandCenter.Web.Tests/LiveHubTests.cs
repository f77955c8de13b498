using System.Collections.Concurrent;
using System.Net;
using CommandCenter.Examples.LiveClient;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace CommandCenter.Web.Tests;

/// <summary>/hubs/live through the example client and the SignalR .NET client, against the real host and real MQTT.</summary>
[Collection(SharedHost.Name)]
public sealed class LiveHubTests(HostFixture fixture)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private CommandCenterProcess Host => fixture.Host;

    [Fact]
    public async Task The_example_client_gets_the_alert_it_missed_while_away_once_and_in_order()
    {
        var events = new ConcurrentQueue<LiveEvent>();
        await using var client = new LiveClient(Host.BaseAddress, CommandCenterProcess.ApiKey,
            new LiveFilter(Networks: ["city-management"], Devices: false), events.Enqueue);
        client.Start();
        // Subscribed first: an alert raised before that would come in the subscription's picture, not as an alert event.
        await Waiting.Until(() => Task.FromResult(events.Any(e => e.Type == "subscribed")), s => s, Timeout, "subscribed");
        await Sos("hub-away", "hub-first");
        await Received(events, "hub-away", "hub-first");

        await client.StopAsync();
        await Sos("hub-away", "hub-missed");
        await Waiting.Until(() => Host.Api.AlertOf("hub-away", "hub-missed"), a => a is not null, Timeout, "the missed alert on the API");
        Assert.DoesNotContain(events, e => e.Alert?.Key.Type == "hub-missed");

        client.Start();
        await Received(events, "hub-away", "hub-missed");
        await Sos("hub-away", "hub-after");
        await Received(events, "hub-away", "hub-after");

        var subscribed = events.Where(e => e.Type == "subscribed").ToList();
        Assert.Equal(2, subscribed.Count);
        Assert.True(subscribed[1].Resumed);
        Assert.False(subscribed[1].TooOld);
        var alerts = events.Where(e => e.Type == "alert").ToList();
        Assert.Equal(alerts.Select(e => e.Id).Distinct().Count(), alerts.Count);
        Assert.Equal(["hub-first", "hub-missed", "hub-after"],
            alerts.Where(e => e.Alert!.Key.DeviceId == "hub-away").Select(e => e.Alert!.Key.Type));
        var ids = events.Select(e => e.Id).ToList();
        Assert.Equal(ids.Order(), ids);
    }

    [Fact]
    public async Task Filters_leave_out_other_networks_lesser_severities_and_places_outside_the_area()
    {
        var byNetwork = new ConcurrentQueue<LiveEvent>();
        var bySeverity = new ConcurrentQueue<LiveEvent>();
        var byArea = new ConcurrentQueue<LiveEvent>();
        var inside = new BoundingBox(36.54, 104.16, 36.55, 104.18);
        await using var environment = new LiveClient(Host.BaseAddress, CommandCenterProcess.ApiKey, new LiveFilter(Networks: ["environment"]), byNetwork.Enqueue);
        await using var critical = new LiveClient(Host.BaseAddress, CommandCenterProcess.ApiKey, new LiveFilter(MinSeverity: "critical", Devices: false), bySeverity.Enqueue);
        await using var area = new LiveClient(Host.BaseAddress, CommandCenterProcess.ApiKey, new LiveFilter(Area: inside), byArea.Enqueue);
        environment.Start(); critical.Start(); area.Start();
        foreach (var events in new[] { byNetwork, bySeverity, byArea })
            await Waiting.Until(() => Task.FromResult(events.Any(e => e.Type == "subscribed")), s => s, Timeout, "subscribed");

        // Left out somewhere: a minor event of a handheld with no position, then a sensor outside the area.
        await Sos("hub-filter-hh", "hub-minor", "minor");
        await OverLimit("hub-filter-far", lon: 103.2);
        // Taken by the severity filter alone: the marker that everything before it has been through the filters.
        await Sos("hub-filter-hh", "hub-critical", "critical");
        await OverLimit("hub-filter-near", lon: 104.1731);
        await Received(byNetwork, "hub-filter-near", "exceed-a34004");
        await Received(bySeverity, "hub-filter-hh", "hub-critical");
        await Received(byArea, "hub-filter-near", "exceed-a34004");
        // Device batches are queued behind the alerts; wait for one that holds the sensor inside.
        await Waiting.Until(() => Task.FromResult(byArea.Any(e => e.Devices?.Any(d => d.Id == "hub-filter-near") == true)), s => s, Timeout, "the near sensor in a device batch");

        Assert.DoesNotContain(byNetwork, e => e.Alert?.Key.DeviceId == "hub-filter-hh");
        Assert.Contains(byNetwork, e => e.Alert?.Key.DeviceId == "hub-filter-far");
        Assert.DoesNotContain(byNetwork, e => e.Devices?.Any(d => d.Kind != "sensor") == true);
        Assert.DoesNotContain(bySeverity, e => e.Alert?.Key.Type == "hub-minor");
        Assert.DoesNotContain(bySeverity, e => e.Alert?.Key.DeviceId is "hub-filter-far" or "hub-filter-near"); // over limit by 12 %: minor
        Assert.DoesNotContain(byArea, e => e.Alert?.Key.DeviceId is "hub-filter-far" or "hub-filter-hh");
        Assert.DoesNotContain(byArea, e => e.Devices?.Any(d => d.Id == "hub-filter-far") == true);
    }

    [Fact]
    public async Task A_last_id_older_than_the_log_is_told_so_and_given_the_active_alerts()
    {
        await Sos("hub-old", "hub-still-active", "major");
        await Waiting.Until(() => Host.Api.AlertOf("hub-old", "hub-still-active"), a => a is not null, Timeout, "the alert on the API");
        await using var connection = Connect(CommandCenterProcess.ApiKey);
        await connection.StartAsync();
        // An id from long before this run started, as a client holding one from before a restart sends.
        await foreach (var first in connection.StreamAsync<LiveEvent>("Subscribe", new LiveFilter(Devices: false), 1L))
        {
            Assert.Equal("subscribed", first.Type);
            Assert.True(first.TooOld);
            Assert.False(first.Resumed);
            Assert.Contains(first.Alerts!, a => a.Key.DeviceId == "hub-old" && a.Key.Type == "hub-still-active");
            Assert.True(first.Id > 1_000_000_000_000_000, "ids start at the host's start time in microseconds");
            break;
        }
    }

    [Fact]
    public async Task A_bad_filter_is_refused_with_a_clear_message()
    {
        await using var connection = Connect(CommandCenterProcess.ApiKey);
        await connection.StartAsync();
        var error = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in connection.StreamAsync<LiveEvent>("Subscribe", new LiveFilter(Networks: ["sewers"]), (long?)null)) { }
        });
        Assert.Contains("Unknown network 'sewers'", error.Message);
        error = await Assert.ThrowsAsync<HubException>(async () =>
        {
            await foreach (var _ in connection.StreamAsync<LiveEvent>("Subscribe", new LiveFilter(Area: new BoundingBox(37, 104, 36, 105)), (long?)null)) { }
        });
        Assert.Contains("south must not exceed its north", error.Message);
        Assert.Equal(HubConnectionState.Connected, connection.State);
    }

    [Fact]
    public async Task Without_a_key_or_with_a_wrong_one_the_hub_refuses_and_a_key_in_the_query_is_taken()
    {
        using var http = new HttpClient { BaseAddress = Host.BaseAddress };
        using var anonymous = await http.PostAsync("/hubs/live/negotiate?negotiateVersion=1", null);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal("application/problem+json", anonymous.Content.Headers.ContentType?.MediaType);
        using var wrong = await http.PostAsync("/hubs/live/negotiate?negotiateVersion=1&access_token=not-a-key", null);
        Assert.Equal(HttpStatusCode.Unauthorized, wrong.StatusCode);
        using var query = await http.PostAsync($"/hubs/live/negotiate?negotiateVersion=1&access_token={CommandCenterProcess.ApiKey}", null);
        Assert.Equal(HttpStatusCode.OK, query.StatusCode);
        // The API itself still takes its key from the header only.
        using var api = await http.GetAsync($"/api/alerts?access_token={CommandCenterProcess.ApiKey}");
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);

        await using var refused = Connect("not-a-key");
        var error = await Assert.ThrowsAsync<HttpRequestException>(() => refused.StartAsync());
        Assert.Equal(HttpStatusCode.Unauthorized, error.StatusCode);
        Assert.DoesNotContain("not-a-key", Host.Log);
        Assert.DoesNotContain(CommandCenterProcess.ApiKey, Host.Log);
    }

    private HubConnection Connect(string key) => new HubConnectionBuilder()
        .WithUrl(new Uri(Host.BaseAddress, "/hubs/live"), o => o.AccessTokenProvider = () => Task.FromResult<string?>(key))
        .Build();

    private Task Sos(string device, string type, string severity = "critical") =>
        Host.Publish($"cc/handheld/{device}/event", $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"{{type}}","severity":"{{severity}}","text":"巡查 test"}""");

    /// <summary>Three readings over PM2.5's limit, which raise an environment alert at the sensor's position.</summary>
    private async Task OverLimit(string sensor, double lon)
    {
        var now = DateTimeOffset.Now;
        for (var i = 0; i < 3; i++)
            await Host.Publish($"cc/sensor/{sensor}/telemetry",
                $$"""{"ts":"{{now.AddSeconds(10 * i):yyyy-MM-ddTHH:mm:ss.fffzzz}}","values":{"a34004":112},"lat":36.5478,"lon":{{lon}}}""");
        await Waiting.Until(() => Host.Api.AlertOf(sensor, "exceed-a34004"), a => a is not null, Timeout, $"{sensor}'s alert on the API");
    }

    private static Task Received(ConcurrentQueue<LiveEvent> events, string device, string type) =>
        Waiting.Until(() => Task.FromResult(events.Any(e => e.Alert?.Key.DeviceId == device && e.Alert.Key.Type == type)), got => got,
            Timeout, $"the alert {device}/{type} on the hub client");
}
