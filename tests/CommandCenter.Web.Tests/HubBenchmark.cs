using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Examples.LiveClient;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Reading to hub client (docs/performance.md, "Reading to hub client"): from a device event published over MQTT to its
/// alert event arriving at the example client on /hubs/live, first on the idle host (the baseline), then while the
/// simulators' load mode keeps 10,000 devices reporting; beside each, the API's view of the same alert. The set-up is
/// <see cref="ScreenBenchmark"/>'s. Runs only when <c>HUB_BENCH</c> names the number of alerts per phase;
/// <c>HUB_BENCH_DEVICES</c> (default 10,000) and <c>HUB_BENCH_RATE</c> (messages a second, default 10,000) size the load.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class HubBenchmark(ITestOutputHelper output)
{
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(60);
    private readonly ConcurrentDictionary<string, TaskCompletionSource<long>> _waiting = new();

    [BenchmarkFact("HUB_BENCH")]
    public async Task Alert_from_publish_to_a_hub_client_idle_and_under_load()
    {
        var alerts = BenchmarkSettings.Int("HUB_BENCH", 100);
        var devices = BenchmarkSettings.Int("HUB_BENCH_DEVICES", 10_000);
        var rate = BenchmarkSettings.Int("HUB_BENCH_RATE", 10_000);
        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string>
        {
            ["Live__PushInterval"] = "00:00:00.250",
            ["Devices__OfflineAfter"] = "01:00:00",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await host.Start();
        // The screen a district puts up: its network's alerts and its devices (10,000 handhelds in batches).
        await using var client = new LiveClient(host.BaseAddress, CommandCenterProcess.ApiKey, new LiveFilter(Networks: ["city-management"]), Arrived);
        client.Start();

        using var events = new MqttClientFactory().CreateMqttClient();
        await events.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", host.MqttPort)
            .WithCredentials(CommandCenterProcess.GatewayUser, CommandCenterProcess.GatewayPassword).WithClientId("hub-bench").Build());

        var idle = await Rounds(host, events, "idle", alerts);
        using var load = SimulatorsProcess.StartLoad(host, devices, rate);
        try
        {
            var before = await Accepted(host);
            await Waiting.Until(() => Accepted(host), n => n - before >= 2L * devices, TimeSpan.FromMinutes(3), "every device of the load heard");
            var (a0, t0) = (await Accepted(host), System.Diagnostics.Stopwatch.GetTimestamp());
            var loaded = await Rounds(host, events, "load", alerts);
            var loadRate = (await Accepted(host) - a0) / System.Diagnostics.Stopwatch.GetElapsedTime(t0).TotalSeconds;

            output.WriteLine("| phase | alerts | device messages/s | hub p50 (ms) | hub p95 | hub p99 | hub max | API p50 (ms) | API p99 | hub p99 / idle hub p99 |");
            output.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            Row("idle", idle, 0, Percentiles.Of(idle.Hub, 99));
            Row($"load: {devices:N0} devices", loaded, loadRate, Percentiles.Of(idle.Hub, 99));
        }
        finally
        {
            load.Kill(entireProcessTree: true);
        }
        await events.DisconnectAsync();
    }

    private void Arrived(LiveEvent e)
    {
        if (e.Alert is { } alert && _waiting.TryGetValue(alert.Key.DeviceId, out var round))
            round.TrySetResult(DateTimeOffset.UtcNow.ToUnixTimeMilliseconds());
    }

    private void Row(string phase, Measured m, double rate, double idleP99) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {phase} | {m.Hub.Count} | {rate:N0} | {Percentiles.Of(m.Hub, 50):0} | {Percentiles.Of(m.Hub, 95):0} | {Percentiles.Of(m.Hub, 99):0} | {m.Hub.Max():0} | {Percentiles.Of(m.Api, 50):0} | {Percentiles.Of(m.Api, 99):0} | {Percentiles.Of(m.Hub, 99) / idleP99:0.00} |"));

    private sealed record Measured(List<double> Hub, List<double> Api);

    private async Task<Measured> Rounds(CommandCenterProcess host, IMqttClient events, string phase, int count)
    {
        var measured = new Measured([], []);
        const int warmUp = 3;
        for (var round = 0; round < count + warmUp; round++)
        {
            var device = $"hub-{phase}-{round:D4}";
            var arrived = _waiting[device] = new TaskCompletionSource<long>(TaskCreationOptions.RunContinuationsAsynchronously);
            var published = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await events.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"cc/handheld/{device}/event")
                .WithPayload($$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"{{device}}","severity":"critical","text":"bench"}""")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            var api = ApiSees(host, device);
            var received = await arrived.Task.WaitAsync(RoundTimeout);
            var listed = await api.WaitAsync(RoundTimeout);
            if (round < warmUp) continue;
            measured.Hub.Add(received - published);
            measured.Api.Add(listed - published);
            await Task.Delay(50 + Random.Shared.Next(100));
        }
        return measured;
    }

    /// <summary>When GET /api/alerts first lists an alert of <paramref name="device"/> (polled every 5 ms): the baseline of a screen.</summary>
    internal static async Task<long> ApiSees(CommandCenterProcess host, string device)
    {
        while (true)
        {
            var body = await host.Api.GetStringAsync("/api/alerts?state=active&limit=20");
            if (body.Contains($"\"{device}\"", StringComparison.Ordinal)) return DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await Task.Delay(5);
        }
    }

    private static async Task<long> Accepted(CommandCenterProcess host) =>
        (await host.Api.GetFromJsonAsync<JsonElement>("/api/gateway/stats")).GetProperty("accepted").GetInt64();
}
