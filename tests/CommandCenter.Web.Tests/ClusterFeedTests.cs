using System.Collections.Concurrent;
using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Examples.LiveClient;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Two command centers over a real redis-server share one live picture: a device heard through node A is on node B's
/// board (the device list and its counts), and an alert raised through A reaches a live client connected to B.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class ClusterFeedTests(ClusterTests.TwoNodes cluster) : IClassFixture<ClusterTests.TwoNodes>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private CommandCenterProcess A => cluster.Nodes[0];
    private CommandCenterProcess B => cluster.Nodes[1];

    [Fact]
    public async Task A_reading_through_node_A_is_on_node_Bs_board_with_its_value()
    {
        await cluster.Nodes.Register("sensor", "feed-s1");
        await A.PublishReading("feed-s1", 41, DateTimeOffset.UtcNow.AddSeconds(-1));
        // Kept only in the grain's memory and the feed: B's board can show it only if the feed brought it.
        await A.PublishReading("feed-s1", 66.5, DateTimeOffset.UtcNow);

        var listed = await Waiting.Until(() => B.Api.GetFromJsonAsync<JsonElement[]>("/api/devices?kind=sensor"),
            list => list!.Any(d => d.GetProperty("id").GetString() == "feed-s1" && ClusterTests.Pm25(d) == 66.5), Timeout,
            "node B's board lists the sensor with A's latest reading");
        Assert.Contains(listed!, d => d.GetProperty("id").GetString() == "feed-s1" && d.GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task An_alert_raised_through_node_A_reaches_a_live_client_on_node_B()
    {
        await cluster.Nodes.Register("handheld", "feed-hh1");
        var events = new ConcurrentQueue<LiveEvent>();
        await using var client = new LiveClient(B.BaseAddress, CommandCenterProcess.ApiKey, new LiveFilter(Devices: false), events.Enqueue);
        client.Start();
        await Waiting.Until(() => Task.FromResult(events.Any(e => e.Type == "subscribed")), s => s, Timeout, "subscribed at node B");

        await A.Publish("cc/handheld/feed-hh1/event", $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"sos","severity":"critical","text":"巡查 cluster"}""");
        await Waiting.Until(() => Task.FromResult(events.Any(e => e.Alert?.Key.DeviceId == "feed-hh1" && e.Alert.Key.Type == "sos")), got => got,
            Timeout, "the alert at node B's live client");
        Assert.Single(events, e => e.Type == "alert" && e.Alert!.Key.DeviceId == "feed-hh1");
    }
}
