using System.Net;
using System.Net.Sockets;
using MQTTnet;
using MQTTnet.Protocol;

namespace CommandCenter.Web.Tests;

/// <summary>What a client on the device network can send the broker, tried against the real host.</summary>
[Collection(SharedHost.Name)]
public sealed class GatewayHardeningTests(HostFixture fixture)
{
    private CommandCenterProcess Host => fixture.Host;

    private async Task<IMqttClient> Connect(string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", Host.MqttPort)
            .WithClientId(clientId)
            .WithCredentials(CommandCenterProcess.GatewayUser, CommandCenterProcess.GatewayPassword)
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build(), timeout.Token);
        return client;
    }

    private static long Reason(System.Text.Json.JsonElement stats, string reason) =>
        stats.GetProperty("rejectedByReason").TryGetProperty(reason, out var count) ? count.GetInt64() : 0;

    [Fact]
    public async Task Oversized_publishes_close_the_connection_unread_and_the_host_does_not_keep_the_memory()
    {
        var before = await Host.Api.Stats();
        var residentBefore = Host.ResidentBytes();
        var payload = new byte[50 * 1024 * 1024];
        for (var attempt = 0; attempt < 4; attempt++)
        {
            using var client = await Connect($"e2e-big-{attempt}");
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await Assert.ThrowsAnyAsync<Exception>(() => client.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic("cc/sensor/e2e-big/telemetry").WithPayload(payload)
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build(), timeout.Token));
        }

        var after = await Host.Api.Stats();
        Assert.Equal(Reason(before, "oversized") + 4, Reason(after, "oversized"));
        // The host never buffered a body: four 50 MB packets leave far less than one of them behind.
        Assert.True(Host.ResidentBytes() - residentBefore < 40 * 1024 * 1024,
            $"resident memory grew from {residentBefore} to {Host.ResidentBytes()} bytes");

        // Everyone else goes on as before.
        await Host.Publish("cc/handheld/e2e-after-big/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":36.545,"lon":104.138,"battery":0.5}""");
        Assert.Equal(HttpStatusCode.OK, (await Host.Api.GetAsync("/api/devices/handheld/e2e-after-big")).StatusCode);
    }

    [Fact]
    public async Task A_retained_publish_is_taken_but_not_kept_for_new_subscribers()
    {
        var before = await Host.Api.Stats();
        using (var device = await Connect("e2e-retain-device"))
        {
            await device.PublishAsync(new MqttApplicationMessageBuilder()
                .WithTopic("cc/handheld/e2e-retain/status").WithPayload($$"""{"ts":"{{DateTimeOffset.Now:O}}","online":true}""")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).WithRetainFlag().Build());
        }
        Assert.Equal(HttpStatusCode.OK, (await Host.Api.GetAsync("/api/devices/handheld/e2e-retain")).StatusCode);

        using var subscriber = await Connect("e2e-retain-subscriber");
        var received = new List<string>();
        subscriber.ApplicationMessageReceivedAsync += args =>
        {
            lock (received) received.Add(args.ApplicationMessage.Topic);
            return Task.CompletedTask;
        };
        await subscriber.SubscribeAsync(new MqttClientSubscribeOptionsBuilder().WithTopicFilter("cc/handheld/e2e-retain/#").Build());
        // A retained message is sent right after the subscription is acknowledged; give it ample time.
        await Task.Delay(TimeSpan.FromSeconds(2));
        lock (received) Assert.Empty(received);
        Assert.Equal(before.GetProperty("retainIgnored").GetInt64() + 1, (await Host.Api.Stats()).GetProperty("retainIgnored").GetInt64());
    }

    [Fact]
    public async Task The_broker_listens_on_the_configured_IPv4_address_only()
    {
        using var v4 = new TcpClient(AddressFamily.InterNetwork);
        await v4.ConnectAsync(IPAddress.Loopback, Host.MqttPort);

        using var v6 = new TcpClient(AddressFamily.InterNetworkV6);
        var refused = await Assert.ThrowsAsync<SocketException>(() => v6.ConnectAsync(IPAddress.IPv6Loopback, Host.MqttPort));
        Assert.Equal(SocketError.ConnectionRefused, refused.SocketErrorCode);
    }

    [Fact]
    public async Task A_device_clock_in_year_9999_and_the_systems_own_alert_types_are_rejected_and_counted()
    {
        var before = await Host.Api.Stats();
        await Host.Publish("cc/handheld/e2e-clock/event", """{"ts":"9999-12-31T23:59:59Z","type":"sos","severity":"critical"}""");
        await Host.Publish("cc/handheld/e2e-clock/event", $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"offline"}""");
        // Device ids are unique across kinds: the sensor has an id of its own.
        await Host.Publish("cc/sensor/e2e-clock-s/event", $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"exceed-a34004","severity":"critical"}""");

        var after = await Host.Api.Stats();
        Assert.Equal(Reason(before, "timestamp") + 1, Reason(after, "timestamp"));
        Assert.Equal(Reason(before, "reserved") + 2, Reason(after, "reserved"));
        Assert.Null(await Host.Api.AlertOf("e2e-clock", "sos"));
        Assert.Null(await Host.Api.AlertOf("e2e-clock", "offline"));
        Assert.Null(await Host.Api.AlertOf("e2e-clock-s", "exceed-a34004"));
    }

    [Fact]
    public async Task Control_characters_in_a_topic_reach_the_log_escaped_on_one_line()
    {
        using var client = await Connect("e2e-log-injection");
        await client.PublishAsync(new MqttApplicationMessageBuilder()
            .WithTopic("cc/sensor/e2e\r\nfail: Forged[0] admin signed in\0/telemetry")
            .WithPayload($$$"""{"ts":"{{{DateTimeOffset.Now:O}}}","values":{"a34004":1}}""")
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());

        var line = await Waiting.Until(() => Task.FromResult(Host.Log.Split('\n').FirstOrDefault(l => l.Contains("Forged[0]"))),
            l => l is not null, TimeSpan.FromSeconds(10), "logged");
        Assert.Contains("Rejected message from client e2e-log-injection on cc/sensor/e2e\\u000d\\u000afail: Forged[0] admin signed in\\u0000/telemetry", line);
        Assert.DoesNotContain('\0', Host.Log);
        Assert.DoesNotContain(Host.Log.Split('\n'), l => l.TrimStart().StartsWith("fail: Forged"));
    }
}
