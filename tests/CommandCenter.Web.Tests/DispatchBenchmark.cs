using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// How long a dispatch takes to reach the handheld, and its acknowledgement to be on the incident's timeline, measured
/// against the real host with an MQTTnet client playing the handheld (docs/dispatch.md, "Measured").
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class DispatchBenchmark(ITestOutputHelper output)
{
    [BenchmarkFact("DISPATCH_BENCH")]
    public async Task Dispatch_to_task_on_the_handheld_and_ack_to_timeline()
    {
        var rounds = int.Parse(Environment.GetEnvironmentVariable("DISPATCH_BENCH") ?? "100", CultureInfo.InvariantCulture);
        await using var host = new CommandCenterProcess();
        await host.Start();
        const string unit = "bench-hh";
        (await host.Api.PutAsJsonAsync($"/api/devices/handheld/{unit}", new { secret = CommandCenterProcess.SecretOf(unit), name = "Bench" })).EnsureSuccessStatusCode();

        using var client = new MqttClientFactory().CreateMqttClient();
        var arrived = Channel();
        client.ApplicationMessageReceivedAsync += args =>
        {
            arrived.Writer.TryWrite((Stopwatch.GetTimestamp(), Encoding.UTF8.GetString(args.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", host.MqttPort)
            .WithCredentials(unit, CommandCenterProcess.SecretOf(unit)).WithClientId(unit).Build());
        await client.SubscribeAsync($"cc/handheld/{unit}/cmd", MqttQualityOfServiceLevel.AtLeastOnce);
        await Publish(client, $"cc/handheld/{unit}/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":36.5472,"lon":104.1402,"battery":0.9}""");

        var toTask = new List<double>();
        var toAck = new List<double>();
        for (var round = 0; round < rounds + 5; round++)
        {
            using var opened = await host.Api.PostAsJsonAsync("/api/incidents", new { type = "accident", level = "IV", lat = 36.5461, lon = 104.1402, title = $"Bench {round}" });
            var id = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();

            var started = Stopwatch.GetTimestamp();
            using var dispatched = await host.Api.PostAsJsonAsync($"/api/incidents/{id}/dispatch", new { units = new[] { unit } });
            dispatched.EnsureSuccessStatusCode();
            var (at, payload) = await arrived.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            var cmdId = JsonDocument.Parse(payload).RootElement.GetProperty("cmdId").GetString();

            // QoS 1: the broker's PUBACK comes once the handheld grain and the incident's timeline have stored the answer.
            var answering = Stopwatch.GetTimestamp();
            await Publish(client, $"cc/handheld/{unit}/cmd/ack", $$"""{"ts":"{{DateTimeOffset.Now:O}}","cmdId":"{{cmdId}}","result":"accepted"}""");
            var stored = Stopwatch.GetTimestamp();
            await Publish(client, $"cc/handheld/{unit}/event", $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"done"}""");
            if (round < 5) continue;  // warm-up: first activations and JIT
            toTask.Add(Stopwatch.GetElapsedTime(started, at).TotalMilliseconds);
            toAck.Add(Stopwatch.GetElapsedTime(answering, stored).TotalMilliseconds);
        }

        var incident = await host.Api.GetFromJsonAsync<JsonElement[]>("/api/incidents?state=open&limit=1");
        Assert.Contains(incident![0].GetProperty("timeline").EnumerateArray(), e => e.GetProperty("what").GetString()!.Contains("accepted"));
        output.WriteLine($"{rounds} dispatches: POST dispatch -> task at the MQTT client p50 {Percentiles.Of(toTask, 50):0.0} ms, p99 {Percentiles.Of(toTask, 99):0.0} ms, max {toTask.Max():0.0} ms");
        output.WriteLine($"{rounds} acknowledgements: cmd/ack published -> stored on the timeline (PUBACK) p50 {Percentiles.Of(toAck, 50):0.0} ms, p99 {Percentiles.Of(toAck, 99):0.0} ms, max {toAck.Max():0.0} ms");
        await client.DisconnectAsync();
    }

    private static System.Threading.Channels.Channel<(long At, string Payload)> Channel() =>
        System.Threading.Channels.Channel.CreateUnbounded<(long, string)>();

    private static Task Publish(IMqttClient client, string topic, string payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic(topic).WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
}
