using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Reading to screen (docs/performance.md, "Reading to screen"): from a device event published over MQTT to its alert
/// row appearing in the live page in chromium, first with nothing else going on (the baseline), then while the
/// simulators' load mode sends thousands of messages a second from thousands of devices; beside each, the API's view of
/// the same alert. Runs only when <c>SCREEN_BENCH</c> names the number of alerts per phase; <c>SCREEN_BENCH_DEVICES</c>
/// (default 10,000) and <c>SCREEN_BENCH_RATE</c> (messages a second, default 10,000) size the load.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class ScreenBenchmark(ITestOutputHelper output)
{
    private const string Operator = "operator", OperatorPassword = "Operator#2026";
    private static readonly TimeSpan RoundTimeout = TimeSpan.FromSeconds(60);

    [BenchmarkFact("SCREEN_BENCH")]
    public async Task Alert_from_publish_to_the_live_page_idle_and_under_load()
    {
        var alerts = BenchmarkSettings.Int("SCREEN_BENCH", 100);
        var devices = BenchmarkSettings.Int("SCREEN_BENCH_DEVICES", 10_000);
        var rate = BenchmarkSettings.Int("SCREEN_BENCH_RATE", 10_000);
        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string>
        {
            // What a deployment runs with, not the tests' quicker push.
            ["Live__PushInterval"] = "00:00:00.250",
            // Devices of the load must not go silent into offline alerts while it lasts.
            ["Devices__OfflineAfter"] = "01:00:00",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await host.Start();
        await using var chromium = await Browser.Launch();
        var page = await chromium.SignIn(host.BaseAddress, Operator, OperatorPassword);
        await Waiting.Until(() => page.EvaluateAsync<bool>("() => !!(window.liveMap && window.liveMap.map)"), up => up, TimeSpan.FromSeconds(30), "the map up");

        using var events = new MqttClientFactory().CreateMqttClient();
        await events.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", host.MqttPort)
            .WithCredentials(CommandCenterProcess.GatewayUser, CommandCenterProcess.GatewayPassword).WithClientId("screen-bench").Build());

        var idle = await Rounds(host, page, events, "idle", alerts);

        using var load = SimulatorsProcess.StartLoad(host, devices, rate);
        try
        {
            // Every device heard at least twice: their grains are active, the page holds them all.
            var before = await Accepted(host);
            await Waiting.Until(() => Accepted(host), n => n - before >= 2L * devices, TimeSpan.FromMinutes(3), "every device of the load heard");
            await Waiting.Until(() => page.EvaluateAsync<int>("() => window.liveMap.deviceCount()"), n => n >= devices, TimeSpan.FromMinutes(2), "every device on the map");
            var (a0, t0) = (await Accepted(host), Stopwatch.GetTimestamp());
            var loaded = await Rounds(host, page, events, "load", alerts);
            var loadRate = (await Accepted(host) - a0) / Stopwatch.GetElapsedTime(t0).TotalSeconds;

            output.WriteLine($"| phase | alerts | device messages/s | page p50 (ms) | page p95 | page p99 | page max | API p50 (ms) | API p99 | page p99 / idle page p99 |");
            output.WriteLine($"|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            Row("idle", idle, 0, Percentiles.Of(idle.Page, 99));
            Row($"load: {devices:N0} devices", loaded, loadRate, Percentiles.Of(idle.Page, 99));
        }
        finally
        {
            load.Kill(entireProcessTree: true);
        }
        await events.DisconnectAsync();
    }

    private void Row(string phase, Measured m, double rate, double idleP99) =>
        output.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {phase} | {m.Page.Count} | {rate:N0} | {Percentiles.Of(m.Page, 50):0} | {Percentiles.Of(m.Page, 95):0} | {Percentiles.Of(m.Page, 99):0} | {m.Page.Max():0} | {Percentiles.Of(m.Api, 50):0} | {Percentiles.Of(m.Api, 99):0} | {Percentiles.Of(m.Page, 99) / idleP99:0.00} |"));

    private sealed record Measured(List<double> Page, List<double> Api);

    /// <summary>
    /// One alert at a time, each from a device and of a type of its own (so none is folded into a group row): a watcher
    /// in the page notes the wall clock when its row appears; meanwhile the API is asked until it lists the alert.
    /// </summary>
    private static async Task<Measured> Rounds(CommandCenterProcess host, IPage page, IMqttClient events, string phase, int count)
    {
        var measured = new Measured([], []);
        const int warmUp = 3;
        for (var round = 0; round < count + warmUp; round++)
        {
            var device = $"screen-{phase}-{round:D4}";
            await page.EvaluateAsync("""
                selector => {
                  window.__seen = new Promise(resolve => {
                    const observer = new MutationObserver(() => {
                      if (document.querySelector(selector)) { observer.disconnect(); resolve(Date.now()); }
                    });
                    observer.observe(document.getElementById("alert-feed"), { subtree: true, childList: true });
                  });
                }
                """, $"#alert-feed li.alert[data-device='{device}']");
            var published = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await events.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"cc/handheld/{device}/event")
                .WithPayload($$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"{{device}}","severity":"critical","text":"bench"}""")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            var api = ApiSees(host, device, published);
            var shown = await page.EvaluateAsync<long>("() => window.__seen").WaitAsync(RoundTimeout);
            var listed = await api.WaitAsync(RoundTimeout);
            if (round < warmUp) continue; // first activations, JIT, the circuit's first renders
            measured.Page.Add(shown - published);
            measured.Api.Add(listed - published);
            // Spaced a little, as alerts come; not in lockstep with the pushes.
            await Task.Delay(50 + Random.Shared.Next(100));
        }
        return measured;
    }

    private static async Task<long> ApiSees(CommandCenterProcess host, string device, long since)
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
