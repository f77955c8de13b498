using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CommandCenter.Web.Tests;

/// <summary>Many devices sending flat out through the real broker: what they send is what the grains get.</summary>
[Collection(SharedHost.Name)]
public sealed class IngestUnderLoadTests(HostFixture fixture)
{
    private const int Devices = 40;
    private const int EachQos = 150;
    private const int InFlight = 16;

    private CommandCenterProcess Host => fixture.Host;

    [Fact]
    public async Task Every_QoS_0_and_QoS_1_reading_from_many_connections_reaches_its_grain_and_each_PUBACK_follows_its_grain()
    {
        var ids = Enumerable.Range(0, Devices).Select(n => $"load-{n:D3}").ToArray();
        foreach (var id in ids) await Host.Register("handheld", id);
        var before = await Host.Api.Stats();
        var now = DateTimeOffset.UtcNow;
        var start = now.AddTicks(-(now.Ticks % TimeSpan.TicksPerMillisecond)).AddMinutes(-30);

        // Half the devices speak MQTT 5, half 3.1.1: both answer with a PUBACK, only MQTT 5 carries a reason code.
        var lastTimes = await Task.WhenAll(ids.Select((id, n) => SendAll(id, n % 2 == 0 ? MqttProtocolVersion.V500 : MqttProtocolVersion.V311, start)));

        var total = Devices * EachQos * 2L;
        var after = await Waiting.Until(() => Host.Api.Stats(),
            s => Count(s, "accepted") - Count(before, "accepted") >= total, TimeSpan.FromSeconds(60), $"{total} messages accepted");
        Assert.Equal(total, Count(after, "accepted") - Count(before, "accepted"));
        Assert.Equal(Count(before, "rejected"), Count(after, "rejected"));
        Assert.Equal(Count(before, "failed"), Count(after, "failed"));
        // Each device's grain holds its newest reading: nothing sent after it was lost on the way.
        for (var n = 0; n < Devices; n++)
            Assert.Equal(lastTimes[n].ackedAt, lastTimes[n].newest);
    }

    /// <summary>
    /// Sends the device's QoS 0 readings, then its QoS 1 readings with <see cref="InFlight"/> unacknowledged at a time;
    /// right after the last PUBACK, asks the device's grain for its newest reading.
    /// </summary>
    private async Task<(DateTimeOffset ackedAt, DateTimeOffset newest)> SendAll(string id, MqttProtocolVersion version, DateTimeOffset start)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", Host.MqttPort)
            .WithClientId(id)
            .WithCredentials(id, CommandCenterProcess.SecretOf(id))
            .WithProtocolVersion(version)
            .WithTimeout(TimeSpan.FromSeconds(60))
            .Build(), timeout.Token);
        var topic = $"cc/handheld/{id}/telemetry";
        MqttApplicationMessage Reading(int i, MqttQualityOfServiceLevel qos) => new MqttApplicationMessageBuilder()
            .WithTopic(topic).WithQualityOfServiceLevel(qos)
            .WithPayload($$"""{"ts":"{{start.AddMilliseconds(i):O}}","lat":36.5{{i % 100:D2}},"lon":104.138,"battery":0.5}""")
            .Build();

        for (var i = 0; i < EachQos; i++)
            await client.PublishAsync(Reading(i, MqttQualityOfServiceLevel.AtMostOnce), timeout.Token);

        using var slots = new SemaphoreSlim(InFlight);
        var publishes = new List<Task<MqttClientPublishResult>>();
        for (var i = EachQos; i < 2 * EachQos; i++)
        {
            await slots.WaitAsync(timeout.Token);
            publishes.Add(PublishThenFree(client, Reading(i, MqttQualityOfServiceLevel.AtLeastOnce), slots, timeout.Token));
        }
        var results = await Task.WhenAll(publishes);
        // MQTT 5 adds that nobody subscribes to telemetry; the message is taken all the same.
        Assert.All(results, r => Assert.True(r.IsSuccess || r.ReasonCode == MqttClientPublishReasonCode.NoMatchingSubscribers, $"{id}: PUBACK {r.ReasonCode}"));

        // No wait: the PUBACK came only once the grain had the reading, so the grain shows it now.
        var device = await Host.Api.GetFromJsonAsync<JsonElement>($"/api/devices/handheld/{id}");
        var newest = device.GetProperty("lastReport").GetDateTimeOffset();
        await client.DisconnectAsync(cancellationToken: timeout.Token);
        return (start.AddMilliseconds(2 * EachQos - 1), newest);
    }

    private static async Task<MqttClientPublishResult> PublishThenFree(IMqttClient client, MqttApplicationMessage message, SemaphoreSlim slots, CancellationToken cancellationToken)
    {
        try { return await client.PublishAsync(message, cancellationToken); }
        finally { slots.Release(); }
    }

    private static long Count(JsonElement stats, string name) => stats.GetProperty(name).GetInt64();
}
