using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Grains.Tests;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Two command centers over a real redis-server (<c>Cluster:Redis</c>) and PostgreSQL (<c>Storage:PostgreSql</c>) are
/// one city: a device's grain answers through either node, an alert raised through one is listed by the other, a
/// sign-in made at one node holds at the other, and a node started later knows every device from the state kept in
/// Redis without waking one.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed partial class ClusterTests(ClusterTests.TwoNodes cluster) : IClassFixture<ClusterTests.TwoNodes>
{
    public sealed class TwoNodes : IAsyncLifetime
    {
        public RedisServer Redis { get; } = new();
        public PostgresServer Postgres { get; } = new();
        public ClusterNodes Nodes { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            await Task.WhenAll(Redis.Start(), Postgres.InitializeAsync());
            Nodes = new ClusterNodes(2, Redis, await Postgres.CreateDatabase());
            await Nodes.Start();
        }

        public async Task DisposeAsync()
        {
            await Nodes.DisposeAsync();
            await Redis.DisposeAsync();
            await Postgres.DisposeAsync();
        }
    }

    private CommandCenterProcess A => cluster.Nodes[0];
    private CommandCenterProcess B => cluster.Nodes[1];

    [Fact]
    public async Task A_reading_through_node_As_broker_is_answered_by_the_devices_grain_through_node_B()
    {
        await cluster.Nodes.Register("sensor", "cl-s1");
        await A.PublishReading("cl-s1", 41, DateTimeOffset.UtcNow.AddSeconds(-1));
        // The second reading is only in the grain's memory (readings are saved at most every Devices:StateSaveInterval):
        // node B can only know it by asking the one activation, not by reading stored state.
        await A.PublishReading("cl-s1", 77.5, DateTimeOffset.UtcNow);

        // GET /api/devices/{kind}/{id} asks the device's grain, not B's board: one grain for the city, wherever it runs.
        var sensor = await Waiting.Until(() => Sensor(B, "cl-s1"), s => Pm25(s) == 77.5, TimeSpan.FromSeconds(30), "node B answers with A's latest reading");
        Assert.Equal(77.5, Pm25(sensor));
        Assert.Equal(77.5, Pm25(await Sensor(A, "cl-s1")));
    }

    [Fact]
    public async Task Each_node_lists_every_silo_marks_itself_and_the_one_that_sweeps()
    {
        await cluster.Nodes.Register("sensor", "cl-silos");
        await A.PublishReading("cl-silos", 10, DateTimeOffset.UtcNow);

        var fromA = await Waiting.Until(() => Silos(A), s => s.Sum(e => e.GetProperty("activations").GetInt32()) > 0,
            TimeSpan.FromSeconds(30), "node A counting the cluster's grains");
        var fromB = await Silos(B);
        // Every node of the class's cluster: A and B, and a third one once the test that starts it has run.
        Assert.Equal(cluster.Nodes.Nodes.Count, fromA.Length);
        Assert.Equal(cluster.Nodes.Nodes.Count, fromB.Length);
        // Each node marks its own silo, and the two marks are different silos.
        var selfA = Assert.Single(fromA, e => e.GetProperty("self").GetBoolean()).GetProperty("address").GetString();
        var selfB = Assert.Single(fromB, e => e.GetProperty("self").GetBoolean()).GetProperty("address").GetString();
        Assert.NotEqual(selfA, selfB);
        // One of them runs the offline sweep, and both say which.
        var sweeping = Assert.Single(fromA, e => e.GetProperty("sweeping").GetBoolean()).GetProperty("address").GetString();
        Assert.Equal(sweeping, Assert.Single(fromB, e => e.GetProperty("sweeping").GetBoolean()).GetProperty("address").GetString());
    }

    private static async Task<JsonElement[]> Silos(CommandCenterProcess node) =>
        (await node.Api.GetFromJsonAsync<JsonElement[]>("/api/cluster/silos"))!;

    [Fact]
    public async Task An_alert_raised_through_node_A_is_listed_by_node_B()
    {
        await cluster.Nodes.Register("handheld", "cl-h1");
        await A.Publish("cc/handheld/cl-h1/event",
            $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"road-blocked","severity":"major","text":"road blocked at the bridge"}""");

        // The 2xx-equivalent (the PUBACK) came once the alert was written: B lists it from the shared records at once.
        var alert = await B.Api.AlertOf("cl-h1", "road-blocked");
        Assert.NotNull(alert);
        Assert.Equal("major", alert!.Value.GetProperty("severity").GetString());
    }

    [Fact]
    public async Task A_node_started_later_lists_every_known_device_from_the_state_in_Redis()
    {
        await cluster.Nodes.Register("sensor", "cl-known");
        // Coming online is written at once: the state is in Redis when the PUBACK is.
        await A.PublishReading("cl-known", 12, DateTimeOffset.UtcNow);
        await Waiting.Until(() => Sensor(A, "cl-known"), s => Pm25(s) == 12, TimeSpan.FromSeconds(30), "the reading taken");

        // A third node with an empty data directory: its board can only come from the scan of Redis.
        var c = cluster.Nodes.Add();
        await c.Start();
        var devices = await Waiting.Until(() => c.Api.GetFromJsonAsync<JsonElement[]>("/api/devices?kind=sensor"),
            list => list!.Any(d => d.GetProperty("id").GetString() == "cl-known"), TimeSpan.FromSeconds(30), "the new node lists the device");
        Assert.Contains(devices!, d => d.GetProperty("id").GetString() == "cl-known" && d.GetProperty("online").GetBoolean());
    }

    [Fact]
    public async Task A_sign_in_made_at_node_A_is_honoured_by_node_B()
    {
        var cookies = new CookieContainer();
        using (var atA = new FormClient(A.BaseAddress, cookies: cookies))
        {
            var signIn = await atA.SignIn("operator", "Operator#2026");
            Assert.True(FormClient.SignedIn(signIn), $"{signIn.StatusCode}: {await FormClient.MessageOf(signIn)}");
        }
        // Cookies belong to the host, not the port: the same jar goes to node B.
        using var atB = new FormClient(B.BaseAddress, cookies: cookies);
        using var page = await atB.Get("/");
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);

        using var stranger = new FormClient(B.BaseAddress);
        using var refused = await stranger.Get("/");
        Assert.Equal(HttpStatusCode.Redirect, refused.StatusCode);
        Assert.Contains("/login", refused.Headers.Location!.ToString());
    }

    [Fact]
    public async Task A_device_registered_through_node_A_signs_in_at_node_B_and_once_retired_through_A_is_refused_by_B()
    {
        const string id = "cl-follow";
        var secret = CommandCenterProcess.SecretOf(id);
        // Through A only: B read the registry when it started, before this device existed.
        await A.Register("sensor", id);
        await Waiting.Until(() => PublishAs(B, id, secret, 23), accepted => accepted, TimeSpan.FromSeconds(10),
            "node B accepting a device registered through node A");
        await Waiting.Until(() => Sensor(B, id), s => Pm25(s) == 23, TimeSpan.FromSeconds(30), "the reading taken through node B");

        using (var retired = await A.Api.DeleteAsync($"/api/devices/sensor/{id}")) Assert.Equal(HttpStatusCode.NoContent, retired.StatusCode);
        await Waiting.Until(() => PublishAs(B, id, secret, 24), accepted => !accepted, TimeSpan.FromSeconds(10),
            "node B refusing a device retired through node A");
    }

    /// <summary>Publishes a reading to <paramref name="node"/>'s broker signed in as the device itself; false when refused.</summary>
    private static async Task<bool> PublishAs(CommandCenterProcess node, string id, string secret, double pm25)
    {
        try
        {
            await node.MosquittoPub(["-u", id, "-P", secret, "-i", $"test-{Guid.NewGuid():N}"[..20], "-q", "1", "-t", $"cc/sensor/{id}/telemetry",
                "-m", JsonSerializer.Serialize(new { ts = $"{DateTimeOffset.Now:yyyy-MM-ddTHH:mm:ss.fffzzz}", values = new { a34004 = pm25 } })]);
            return true;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    internal static async Task<JsonElement?> Sensor(CommandCenterProcess node, string id)
    {
        using var response = await node.Api.GetAsync($"/api/devices/sensor/{id}");
        return response.IsSuccessStatusCode ? await response.Content.ReadFromJsonAsync<JsonElement>() : null;
    }

    internal static double? Pm25(JsonElement? sensor) =>
        sensor is { } s && s.TryGetProperty("readings", out var readings) && readings.TryGetProperty("a34004", out var value) ? value.GetDouble() : null;
}
