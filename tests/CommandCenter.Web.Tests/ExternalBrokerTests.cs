using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Debian mosquitto as the external broker, signing devices in with the password and ACL files exported from the
/// registry, and two command centers with <c>Mqtt:EmbeddedBroker=false</c> sharing its device traffic. The two
/// are separate one-silo clusters here, so what each took is counted per host.
/// </summary>
[Collection(OwnHosts.Name), System.Runtime.Versioning.SupportedOSPlatform("linux")]
public sealed class ExternalBrokerTests(ExternalBrokerTests.TwoGateways fixture, ITestOutputHelper output) : IClassFixture<ExternalBrokerTests.TwoGateways>
{
    public const string GatewayUser = "cc-gateway";
    public const string GatewayPassword = "gateway-password-0123456789";
    /// <summary>Devices that publish the bulk of the messages.</summary>
    public static readonly string[] Publishers = ["ext-h1", "ext-h2", "ext-h3", "ext-h4", "ext-h5", "ext-h6"];

    public sealed class TwoGateways : IAsyncLifetime
    {
        public MosquittoBroker Broker { get; } = new();
        public CommandCenterProcess A { get; }
        public CommandCenterProcess B { get; }

        public TwoGateways()
        {
            A = new(settings: Settings("gw-a"));
            B = new(settings: Settings("gw-b"));
        }

        private Dictionary<string, string> Settings(string clientId) => new()
        {
            ["Mqtt__EmbeddedBroker"] = "false",
            ["Mqtt__Host"] = "127.0.0.1",
            ["Mqtt__Port"] = Broker.Port.ToString(),
            ["Mqtt__UserName"] = GatewayUser,
            ["Mqtt__Password"] = GatewayPassword,
            ["Mqtt__ClientId"] = clientId,
            ["Mqtt__ReconnectBackoffInitial"] = "00:00:00.200",
            ["Mqtt__ReconnectBackoffMax"] = "00:00:01",
            ["Commands__AckTimeout"] = "00:00:02",
        };

        public async Task InitializeAsync()
        {
            await Task.WhenAll(A.Start(), B.Start());
            foreach (var host in new[] { A, B })
                foreach (var id in (string[])[.. Publishers, "ext-cmd", "ext-spoofer", "ext-gone"])
                    await host.Register("handheld", id);
            // The broker's files come from one host's registry; the other knows the same devices with the same secrets.
            await Broker.Start(await A.Api.GetStringAsync("/api/devices/mosquitto/passwd"), await A.Api.GetStringAsync("/api/devices/mosquitto/acl"));
            await Task.WhenAll(Connected(A), Connected(B));
        }

        public async Task DisposeAsync()
        {
            await A.DisposeAsync();
            await B.DisposeAsync();
            await Broker.DisposeAsync();
        }
    }

    private MosquittoBroker Broker => fixture.Broker;

    private static Task Connected(CommandCenterProcess host) =>
        Waiting.Until(() => host.Api.GetStringAsync("/health"), h => HealthReport.Status(h) == "Healthy", TimeSpan.FromSeconds(60), "connected to mosquitto");

    private static string Event(string type) =>
        $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"{{type}}","severity":"minor","text":"message {{type}}"}""";

    /// <summary>A device played by an MQTTnet client signed in at mosquitto with its own id and secret.</summary>
    private async Task<IMqttClient> Device(string id)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Broker.Port).WithClientId($"{id}-{Guid.NewGuid():N}"[..30])
            .WithCredentials(id, CommandCenterProcess.SecretOf(id)).WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500).Build());
        return client;
    }

    private static async Task PublishEvents(IMqttClient device, string id, string prefix, IEnumerable<int> numbers)
    {
        foreach (var n in numbers)
        {
            var result = await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"cc/handheld/{id}/event")
                .WithPayload(Event($"{prefix}-{n}")).WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            Assert.True(result.IsSuccess, $"mosquitto refused {id}'s message {n}: {result.ReasonCode}");
        }
    }

    /// <summary>The (device, type) of every alert a host holds whose type starts with <paramref name="prefix"/>.</summary>
    private static async Task<HashSet<string>> Taken(CommandCenterProcess host, string prefix)
    {
        var alerts = await host.Api.GetFromJsonAsync<JsonElement[]>("/api/alerts?state=all&limit=10000") ?? [];
        return alerts.Select(a => a.GetProperty("key"))
            .Where(k => k.GetProperty("type").GetString()!.StartsWith(prefix + "-"))
            .Select(k => $"{k.GetProperty("deviceId").GetString()}/{k.GetProperty("type").GetString()}").ToHashSet();
    }

    [Fact]
    public async Task Two_gateways_share_the_traffic_and_one_killed_midway_loses_no_qos1_message()
    {
        const int perDevice = 500;
        const string prefix = "load";
        var devices = new List<IMqttClient>();
        foreach (var id in Publishers) devices.Add(await Device(id));
        var expected = Publishers.SelectMany(id => Enumerable.Range(0, perDevice).Select(n => $"{id}/{prefix}-{n}")).ToHashSet();

        // The first half, then a crash of B while it still works through its share, then the second half.
        await Task.WhenAll(devices.Select((d, i) => PublishEvents(d, Publishers[i], prefix, Enumerable.Range(0, perDevice / 2))));
        await fixture.B.Kill();
        await Task.WhenAll(devices.Select((d, i) => PublishEvents(d, Publishers[i], prefix, Enumerable.Range(perDevice / 2, perDevice / 2))));
        await fixture.B.Start();
        await Connected(fixture.B);

        async Task<(HashSet<string>, HashSet<string>)> Both() => (await Taken(fixture.A, prefix), await Taken(fixture.B, prefix));
        try { await Waiting.Until(Both, t => t.Item1.Count + t.Item2.Count >= expected.Count, TimeSpan.FromMinutes(2), "every message taken"); }
        catch (TimeoutException) { /* the assertions below name what is missing */ }
        var (a, b) = await Both();
        var statsOfRestartedB = await fixture.B.Api.Stats();
        output.WriteLine($"{expected.Count} messages: A took {a.Count}, B {b.Count}, of which {statsOfRestartedB.GetProperty("accepted")} after its restart");

        Assert.Empty(a.Intersect(b));
        Assert.True(expected.SetEquals(a.Union(b)), $"missing: {string.Join(", ", expected.Except(a.Union(b)).Take(20))}");
        // Both shared the load, and B's share of the second half waited for it at mosquitto and came after its restart.
        Assert.True(a.Count > expected.Count / 4, $"A took {a.Count} of {expected.Count}");
        Assert.True(b.Count > expected.Count / 4, $"B took {b.Count} of {expected.Count}");
        Assert.True(statsOfRestartedB.GetProperty("accepted").GetInt64() > 0,
            "the restarted B accepted nothing: its session's messages were not delivered to it");
        foreach (var device in devices) device.Dispose();
    }

    [Fact]
    public async Task A_device_speaking_for_another_is_refused_by_mosquittos_acl_and_a_device_unknown_to_the_registry_by_the_gateway()
    {
        var spoofer = CommandCenterProcess.SecretOf("ext-spoofer");
        // Under another device's topic: mosquitto's ACL drops it (MQTT 3.1.1 has no way to say so; mosquitto_pub succeeds).
        await Broker.Client("mosquitto_pub", "-u", "ext-spoofer", "-P", spoofer, "-q", "1", "-t", "cc/handheld/ext-h1/event", "-m", Event("spoofed"));
        // Sniffing: subscribing to everything yields nothing of other devices.
        var sniffing = Broker.Client("mosquitto_sub", "-u", "ext-spoofer", "-P", spoofer, "-t", "cc/#", "-W", "3", "-v");
        await Task.Delay(TimeSpan.FromSeconds(1));
        // Under its own topic it is heard, by one of the gateways.
        var own = await Broker.Client("mosquitto_pub", "-u", "ext-spoofer", "-P", spoofer, "-q", "1", "-t", "cc/handheld/ext-spoofer/event", "-m", Event("own"));
        Assert.Equal(0, own.Code);
        var wrong = await Broker.Client("mosquitto_pub", "-u", "ext-spoofer", "-P", "not-the-secret-0123456789", "-t", "cc/handheld/ext-spoofer/event", "-m", Event("own"));
        Assert.NotEqual(0, wrong.Code);

        await Waiting.Until(async () => await fixture.A.Api.AlertOf("ext-spoofer", "own", "all") ?? await fixture.B.Api.AlertOf("ext-spoofer", "own", "all"),
            a => a is not null, TimeSpan.FromSeconds(30), "the device's own event taken");
        Assert.Null(await fixture.A.Api.AlertOf("ext-h1", "spoofed", "all"));
        Assert.Null(await fixture.B.Api.AlertOf("ext-h1", "spoofed", "all"));
        Assert.DoesNotContain("cc/handheld/ext-spoofer/event", (await sniffing).Output);
        Assert.Equal("", (await sniffing).Output);

        // Retired after mosquitto got its files: mosquitto still signs it in, the gateway refuses what it says.
        var before = await AuthRejections();
        foreach (var host in new[] { fixture.A, fixture.B })
            Assert.True((await host.Api.DeleteAsync("/api/devices/handheld/ext-gone")).IsSuccessStatusCode);
        var gone = await Broker.Client("mosquitto_pub", "-u", "ext-gone", "-P", CommandCenterProcess.SecretOf("ext-gone"), "-q", "1",
            "-t", "cc/handheld/ext-gone/event", "-m", Event("after-retiring"));
        Assert.Equal(0, gone.Code);
        await Waiting.Until(AuthRejections, n => n == before + 1, TimeSpan.FromSeconds(30), "refused as unknown by one gateway");
        Assert.Null(await fixture.A.Api.AlertOf("ext-gone", "after-retiring", "all"));
        Assert.Null(await fixture.B.Api.AlertOf("ext-gone", "after-retiring", "all"));
    }

    private async Task<long> AuthRejections()
    {
        var total = 0L;
        foreach (var host in new[] { fixture.A, fixture.B })
            if ((await host.Api.Stats()).GetProperty("rejectedByReason").TryGetProperty("auth", out var count)) total += count.GetInt64();
        return total;
    }

    [Fact]
    public async Task A_command_through_the_api_reaches_a_device_at_mosquitto_and_its_acknowledgement_comes_back()
    {
        using var device = await Device("ext-cmd");
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        device.ApplicationMessageReceivedAsync += args =>
        {
            received.TrySetResult(args.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await device.SubscribeAsync("cc/handheld/ext-cmd/cmd", MqttQualityOfServiceLevel.AtLeastOnce);

        // Sent through B: the acknowledgement must find its way to the gateway that waits for it, not to any one of the group.
        var sending = fixture.B.Api.PostAsJsonAsync("/api/devices/handheld/ext-cmd/commands", new { type = "task", args = new { caseId = "620402-0301-000077" } });
        var command = JsonDocument.Parse(await received.Task.WaitAsync(TimeSpan.FromSeconds(30))).RootElement;
        Assert.Equal("620402-0301-000077", command.GetProperty("args").GetProperty("caseId").GetString());
        await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("cc/handheld/ext-cmd/cmd/ack")
            .WithPayload($$"""{"ts":"{{DateTimeOffset.Now:O}}","cmdId":"{{command.GetProperty("cmdId").GetString()}}","result":"accepted"}""")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

        using var response = await sending;
        var outcome = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(outcome.GetProperty("acknowledged").GetBoolean(), outcome.ToString());
        Assert.Equal("accepted", outcome.GetProperty("result").GetString());
        Assert.Equal(1, outcome.GetProperty("attempts").GetInt32());

        // A got the same answer (every gateway hears every acknowledgement) and leaves it to B, uncounted. A takes
        // answers one at a time in order, so once it has counted a malformed answer sent after it, it has had the first.
        var malformedBefore = Reason(await fixture.A.Api.Stats(), "field");
        await device.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("cc/handheld/ext-cmd/cmd/ack")
            .WithPayload("""{"result":"accepted"}""").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await Waiting.Until(() => fixture.A.Api.Stats(), stats => Reason(stats, "field") > malformedBefore, TimeSpan.FromSeconds(30),
            "A to count the malformed answer sent after the real one");
        Assert.False((await fixture.A.Api.Stats()).GetProperty("rejectedByReason").TryGetProperty("command", out var counted),
            $"A counted another gateway's answer: {counted}");
    }

    [Fact]
    public async Task A_gateway_reports_the_lost_broker_on_health_and_reconnects_when_it_is_back()
    {
        await Broker.Stop();
        await Waiting.Until(() => fixture.A.Api.GetStringAsync("/health"), h => h == "Degraded", TimeSpan.FromSeconds(30), "degraded without the broker");
        await Broker.Restart();
        await Task.WhenAll(Connected(fixture.A), Connected(fixture.B));

        await Broker.Client("mosquitto_pub", "-u", "ext-h1", "-P", CommandCenterProcess.SecretOf("ext-h1"), "-q", "1",
            "-t", "cc/handheld/ext-h1/event", "-m", Event("after-reconnect"));
        await Waiting.Until(async () => await fixture.A.Api.AlertOf("ext-h1", "after-reconnect", "all") ?? await fixture.B.Api.AlertOf("ext-h1", "after-reconnect", "all"),
            a => a is not null, TimeSpan.FromSeconds(30), "a message after the reconnect taken");
    }

    private static long Reason(JsonElement stats, string reason) =>
        stats.GetProperty("rejectedByReason").TryGetProperty(reason, out var count) ? count.GetInt64() : 0;
}
