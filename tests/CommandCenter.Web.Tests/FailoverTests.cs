using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommandCenter.Grains.Tests;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// A node of a two-node cluster killed with SIGKILL while handhelds send it QoS 1 events: the handhelds move to the
/// other node's broker, the other node serves their grains, and every event either node acknowledged is an alert.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class FailoverTests(ITestOutputHelper output)
{
    private static readonly string[] Handhelds = ["fo-h1", "fo-h2", "fo-h3", "fo-h4"];
    private const int BeforeKill = 25;
    private const int AfterKill = 25;

    [Fact]
    public async Task Node_A_killed_while_events_flow_loses_no_acknowledged_event_and_node_B_serves_its_devices()
    {
        await using var redis = new RedisServer();
        await using var postgres = new PostgresServer();
        await Task.WhenAll(redis.Start(), postgres.InitializeAsync());
        await using var cluster = new ClusterNodes(2, redis, await postgres.CreateDatabase());
        await cluster.Start();
        foreach (var id in Handhelds) await cluster.Register("handheld", id);
        var (a, b) = (cluster[0], cluster[1]);

        var acknowledged = new ConcurrentBag<string>();
        var killed = new TaskCompletionSource<TimeSpan>(TaskCreationOptions.RunContinuationsAsynchronously);
        var clock = Stopwatch.StartNew();
        var devices = Handhelds.Select(id => new Handheld(id, a.MqttPort, b.MqttPort, AfterKill)).ToList();
        var flows = devices.Select(d => d.Run(acknowledged, killed.Task, clock)).ToList();

        await Waiting.Until(() => Task.FromResult(devices.Min(d => d.Acknowledged)), n => n >= BeforeKill, TimeSpan.FromSeconds(60), "events acknowledged by node A");
        var killAt = clock.Elapsed;
        await a.Kill();
        killed.SetResult(killAt);
        await Task.WhenAll(flows);

        foreach (var device in devices)
            output.WriteLine($"{device.Id}: first event accepted through node B {(device.FirstAfterKill - killAt).TotalSeconds:0.00} s after the kill; {device.Acknowledged} acknowledged");
        output.WriteLine($"served again after: max {devices.Max(d => d.FirstAfterKill - killAt).TotalSeconds:0.00} s");

        // The records are shared (PostgreSQL): node B alone lists an alert for every event either node acknowledged.
        var expected = acknowledged.ToHashSet();
        var taken = (await Alerts(b)).ToHashSet();
        Assert.Empty(expected.Except(taken));
        Assert.All(devices, d => Assert.True(d.AcknowledgedAfterKill >= AfterKill, $"{d.Id}: {d.AcknowledgedAfterKill} after the kill"));
        foreach (var device in devices) device.Dispose();
    }

    [Fact]
    public async Task Dispatches_and_case_steps_acknowledged_by_node_A_are_served_by_node_B_after_A_is_killed()
    {
        await using var redis = new RedisServer();
        await using var postgres = new PostgresServer();
        await Task.WhenAll(redis.Start(), postgres.InitializeAsync());
        await using var cluster = new ClusterNodes(2, redis, await postgres.CreateDatabase());
        await cluster.Start();
        var (a, b) = (cluster[0], cluster[1]);

        // Several of each, so that some of the incidents' and cases' grains live on node A when it dies.
        var written = new List<(string Incident, string Unit, string Case)>();
        for (var i = 0; i < 4; i++)
        {
            var unit = $"fw-unit{i}";
            await a.Publish($"cc/handheld/{unit}/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":36.545,"lon":104.175,"battery":0.9}""");
            using var opened = await a.Api.PostAsJsonAsync("/api/incidents", new { type = "accident", level = "III", lat = 36.546, lon = 104.176, title = $"Collision {i}" });
            Assert.Equal(HttpStatusCode.Created, opened.StatusCode);
            var incident = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            using var dispatched = await a.Api.PostAsJsonAsync($"/api/incidents/{incident}/dispatch", new { units = new[] { unit } });
            Assert.True(dispatched.IsSuccessStatusCode, $"dispatch: {(int)dispatched.StatusCode} {await dispatched.Content.ReadAsStringAsync()}");

            using var reported = await a.Api.PostAsJsonAsync("/api/cases", new
            {
                source = "Hotline", category = "event-0101", description = $"路边暴露垃圾 {i}", address = "白银区人民路 12 号", lat = 36.545, lon = 104.175,
            });
            Assert.Equal(HttpStatusCode.Created, reported.StatusCode);
            var @case = (await reported.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;
            foreach (var (action, body) in new (string, object)[] { ("file", new { note = "核实有效" }), ("dispatch", new { department = "water" }) })
            {
                using var step = await a.Api.PostAsJsonAsync($"/api/cases/{@case}/{action}", body);
                Assert.True(step.IsSuccessStatusCode, $"{action}: {(int)step.StatusCode} {await step.Content.ReadAsStringAsync()}");
            }
            written.Add((incident, unit, @case));
        }
        var onA = (await a.Api.GetFromJsonAsync<JsonElement[]>("/api/cluster/silos"))!.Single(s => s.GetProperty("self").GetBoolean());
        output.WriteLine($"node A held {onA.GetProperty("activations").GetInt32()} grains when it was killed");
        await a.Kill();

        foreach (var (incident, unit, @case) in written)
        {
            var served = await Waiting.Until(() => b.Api.JsonOrNull($"/api/incidents/{incident}"), i => i is not null, TimeSpan.FromSeconds(30), $"incident {incident} served by node B");
            var sent = served!.Value.GetProperty("units").EnumerateArray().Single(u => u.GetProperty("id").GetString() == unit);
            Assert.Equal("dispatched", sent.GetProperty("status").GetString());
            var handled = await Waiting.Until(() => b.Api.JsonOrNull($"/api/cases/{@case}"), c => c is not null, TimeSpan.FromSeconds(30), $"case {@case} served by node B");
            Assert.Equal("Dispatched", handled!.Value.GetProperty("state").GetString());
            Assert.Equal("water", handled.Value.GetProperty("department").GetString());
        }
        // The lists come from the shared records.
        var open = (await b.Api.GetFromJsonAsync<JsonElement[]>("/api/incidents?state=open"))!.Select(i => i.GetProperty("id").GetString()).ToHashSet();
        Assert.Empty(written.Select(w => w.Incident).Except(open));
        var cases = (await b.Api.GetFromJsonAsync<JsonElement>("/api/cases?state=Dispatched&department=water")).GetProperty("cases")
            .EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToHashSet();
        Assert.Empty(written.Select(w => w.Case).Except(cases));
    }

    [Fact]
    public async Task The_offline_sweep_resumes_on_the_survivor_within_seconds_when_its_node_is_killed()
    {
        await using var redis = new RedisServer();
        await redis.Start();
        await using var cluster = new ClusterNodes(2, redis, settings: new Dictionary<string, string> { ["Devices__OfflineCheckInterval"] = "00:00:01" });
        await cluster.Start();

        var sweeper = await Waiting.Until(async () => await Sweeps(cluster[0]) == true ? 0 : await Sweeps(cluster[1]) == true ? 1 : -1,
            index => index >= 0, TimeSpan.FromSeconds(30), "one node sweeping");
        var survivor = cluster[1 - sweeper];
        var clock = Stopwatch.StartNew();
        await cluster[sweeper].Kill();
        // Within about one Devices:OfflineCheckInterval of the cluster declaring the node dead, not at the watch's
        // reminder (every minute).
        await Waiting.Until(() => Sweeps(survivor), sweeps => sweeps == true, TimeSpan.FromSeconds(20), "the survivor sweeping");
        output.WriteLine($"the survivor sweeps {clock.Elapsed.TotalSeconds:0.0} s after the kill");
    }

    /// <summary>Whether the node runs the offline sweep, by its own entry in /api/cluster/silos; null while it cannot say.</summary>
    private static async Task<bool?> Sweeps(CommandCenterProcess node) =>
        await node.Api.JsonOrNull("/api/cluster/silos") is { } silos
            ? silos.EnumerateArray().Single(s => s.GetProperty("self").GetBoolean()).GetProperty("sweeping").GetBoolean()
            : null;

    internal static async Task<IEnumerable<string>> Alerts(CommandCenterProcess node, string[]? devices = null)
    {
        devices ??= Handhelds;
        var alerts = await node.Api.GetFromJsonAsync<JsonElement[]>("/api/alerts?state=all&limit=10000") ?? [];
        return alerts.Select(alert => alert.GetProperty("key"))
            .Where(key => devices.Contains(key.GetProperty("deviceId").GetString()))
            .Select(key => $"{key.GetProperty("deviceId").GetString()}/{key.GetProperty("type").GetString()}");
    }

    /// <summary>A handheld sending one QoS 1 event at a time; when its node is gone it connects to the other and sends again what was not acknowledged.</summary>
    internal sealed class Handheld(string id, int firstPort, int secondPort, int afterKill, string prefix = "fo") : IDisposable
    {
        private readonly IMqttClient _client = new MqttClientFactory().CreateMqttClient();
        private int _acknowledged;
        private int _afterKill;

        public string Id => id;
        public int Acknowledged => Volatile.Read(ref _acknowledged);
        public int AcknowledgedAfterKill => Volatile.Read(ref _afterKill);
        public TimeSpan FirstAfterKill { get; private set; }

        public async Task Run(ConcurrentBag<string> acknowledged, Task<TimeSpan> killed, Stopwatch clock)
        {
            await Connect(firstPort);
            var port = firstPort;
            for (var n = 0; AcknowledgedAfterKill < afterKill; n++)
            {
                var type = $"{prefix}-{n}";
                while (true)
                {
                    if (!_client.IsConnected && killed.IsCompleted && port == firstPort) port = secondPort;
                    try
                    {
                        if (!_client.IsConnected) await Connect(port);
                        var result = await _client.PublishAsync(new MqttApplicationMessageBuilder()
                            .WithTopic($"cc/handheld/{id}/event").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce)
                            .WithPayload(Encoding.UTF8.GetBytes($$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"{{type}}","severity":"minor","text":"event {{n}}"}"""))
                            .Build());
                        if (result.ReasonCode != MqttClientPublishReasonCode.Success) continue;
                    }
                    catch (Exception e) when (e is MQTTnet.Exceptions.MqttCommunicationException or OperationCanceledException
                        or InvalidOperationException or MQTTnet.Exceptions.MqttClientNotConnectedException)
                    {
                        await Task.Delay(50);
                        continue;
                    }
                    acknowledged.Add($"{id}/{type}");
                    Interlocked.Increment(ref _acknowledged);
                    if (port == secondPort && Interlocked.Increment(ref _afterKill) == 1) FirstAfterKill = clock.Elapsed;
                    break;
                }
                // Before the kill, keep a steady flow so the kill lands mid-stream.
                if (!killed.IsCompleted) await Task.Delay(20);
            }
        }

        private Task Connect(int port) => _client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", port).WithClientId($"{id}-{Guid.NewGuid():N}"[..30])
            .WithCredentials(id, CommandCenterProcess.SecretOf(id)).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(10)).Build());

        public void Dispose() => _client.Dispose();
    }
}
