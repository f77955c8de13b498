using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Xunit.Abstractions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Reading to command wall (docs/performance.md, "Alert to the command wall"): from a handheld's critical event
/// published over MQTT to the moment /command in chromium first shows its alert in the ticker, on the alert-camera tile
/// and as a ring on the map (the page's own clock, the same machine's), against the goal of one second. The
/// baseline, measured in the same rounds: when GET /api/alerts first lists it. First on the idle host, then while the
/// simulators' load mode keeps <c>COMMAND_WALL_BENCH_DEVICES</c> handhelds (default 5,000) reporting once a second.
/// Runs only when <c>COMMAND_WALL_BENCH</c> names the number of alerts per phase (e.g. 20).
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class CommandWallBenchmark(ITestOutputHelper output)
{
    private static readonly (double Lat, double Lon) Square = (36.5450, 104.1380);
    private static readonly string[] Places = ["ticker", "video", "map"];

    // Runs in the page: the first time each alert id shows in each place, by the page's clock.
    private const string Probe = """
        () => {
          const seen = window.benchSeen = { ticker: {}, video: {}, map: {} };
          const mark = (place, id, now) => { if (!(id in seen[place])) seen[place][id] = now; };
          const look = () => {
            const now = Date.now();
            for (const li of document.querySelectorAll("#cw-alerts li[data-alert-id]")) mark("ticker", li.dataset.alertId, now);
            for (const tile of document.querySelectorAll("#cw-tiles figure[data-alert-id]")) mark("video", tile.dataset.alertId, now);
            for (const id of window.liveMap.alerts.keys()) mark("map", id, now);
            setTimeout(look, 2);
          };
          look();
        }
        """;

    [BenchmarkFact("COMMAND_WALL_BENCH")]
    public async Task Alert_from_publish_to_the_command_wall_idle_and_under_load()
    {
        var alerts = BenchmarkSettings.Int("COMMAND_WALL_BENCH", 20);
        var loadDevices = BenchmarkSettings.Int("COMMAND_WALL_BENCH_DEVICES", 5_000);
        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string>
        {
            ["Devices__OfflineAfter"] = "01:00:00",
            ["Logging__LogLevel__Default"] = "Warning",
        });
        await host.Start();
        await using var browser = await Browser.Launch();

        (await host.Api.PutAsJsonAsync("/api/cameras/bench-cam", new
        {
            id = "bench-cam", streamUrl = "rtsp://127.0.0.1:9/bench-cam", lat = Square.Lat - 0.0009, lon = Square.Lon,
            heading = 0, fieldOfView = 60, range = 300, name = "bench-cam",
        })).EnsureSuccessStatusCode();
        // Every handheld that raises an alert stands on the square first, so its alert comes with the camera that sees it.
        string Device(string phase, int round) => $"wall-{phase}-{round:D3}";
        foreach (var phase in new[] { "idle", "load" })
            for (var round = 0; round < alerts + WarmUp; round++)
                await host.Publish($"cc/handheld/{Device(phase, round)}/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":{{Square.Lat}},"lon":{{Square.Lon}},"battery":0.9}""");

        var page = await browser.NewScreenPage(host.BaseAddress, 1920, 1080, "en");
        await browser.SignIn(page, "operator", "Operator#2026");
        await page.GotoAsync("/command");
        await Waiting.Until(() => page.EvaluateAsync<bool>($"() => !!window.liveMap?.device('handheld/{Device("load", alerts + WarmUp - 1)}')"), on => on,
            TimeSpan.FromSeconds(30), "the handhelds on the map");
        await page.EvaluateAsync(Probe);

        using var events = new MqttClientFactory().CreateMqttClient();
        await events.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", host.MqttPort)
            .WithCredentials(CommandCenterProcess.GatewayUser, CommandCenterProcess.GatewayPassword).WithClientId("wall-bench").Build());

        output.WriteLine("| phase | seen on | alerts | p50 (ms) | p99 (ms) | max (ms) | within 1 s | p50 / API p50 of the phase |");
        output.WriteLine("|---|---|---:|---:|---:|---:|---:|---:|");
        Table("idle", await Rounds(host, page, events, alerts, round => Device("idle", round)));

        // The simulators' load mode: every handheld reports once a second, so the wall gets a push of devices every
        // Live:PushInterval while the alerts arrive.
        using var load = SimulatorsProcess.StartLoad(host, loadDevices, loadDevices);
        try
        {
            var before = (await host.Api.Stats()).GetProperty("accepted").GetInt64();
            await Waiting.Until(async () => (await host.Api.Stats()).GetProperty("accepted").GetInt64(), n => n - before >= 2L * loadDevices,
                TimeSpan.FromMinutes(3), "every device of the load heard");
            Table($"load: {loadDevices:N0} handhelds", await Rounds(host, page, events, alerts, round => Device("load", round)));
        }
        finally
        {
            load.Kill(entireProcessTree: true);
        }
        await events.DisconnectAsync();
    }

    private const int WarmUp = 2;

    private static async Task<Dictionary<string, List<double>>> Rounds(CommandCenterProcess host, Microsoft.Playwright.IPage page, IMqttClient events,
        int alerts, Func<int, string> device)
    {
        var measured = Places.Append("api").ToDictionary(p => p, _ => new List<double>());
        for (var round = 0; round < alerts + WarmUp; round++)
        {
            var published = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await events.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"cc/handheld/{device(round)}/event")
                .WithPayload($$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"sos","severity":"critical","text":"bench"}""")
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
            var listed = await HubBenchmark.ApiSees(host, device(round)).WaitAsync(TimeSpan.FromSeconds(60));
            var id = (await host.Api.AlertOf(device(round), "sos"))!.Value.GetProperty("id").GetString()!;
            var seen = await Waiting.Until(() => page.EvaluateAsync<JsonElement>("id => [window.benchSeen.ticker[id], window.benchSeen.video[id], window.benchSeen.map[id]]", id),
                s => s.EnumerateArray().All(t => t.ValueKind == JsonValueKind.Number), TimeSpan.FromSeconds(60), $"alert {id} on the wall");
            if (round < WarmUp) continue;
            var at = seen.EnumerateArray().Select(t => t.GetDouble()).ToArray();
            for (var p = 0; p < Places.Length; p++) measured[Places[p]].Add(at[p] - published);
            measured["api"].Add(listed - published);
            await Task.Delay(300 + Random.Shared.Next(200));
        }
        return measured;
    }

    private void Table(string phase, Dictionary<string, List<double>> measured)
    {
        var baseline = Percentiles.Of(measured["api"], 50);
        foreach (var (place, values) in measured)
            output.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {phase} | {place} | {values.Count} | {Percentiles.Of(values, 50):0} | {Percentiles.Of(values, 99):0} | {values.Max():0} | {values.Count(v => v <= 1000)}/{values.Count} | {Percentiles.Of(values, 50) / baseline:0.00} |"));
    }
}
