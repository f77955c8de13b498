using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using Microsoft.Playwright;
using Xunit.Abstractions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// How long the dispatcher's screen takes: from the board's "dispatch nearest" click to the task at the handheld, and
/// from the handheld's <c>cmd/ack</c> to the board in chromium showing the unit acknowledged
/// (docs/dispatch-board.md, "Measured"). Runs only when <c>BOARD_BENCH</c> names the number of rounds.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class IncidentBoardBenchmark(ITestOutputHelper output)
{
    private const string Unit = "bench-board";
    private const int WarmUp = 3;

    [BenchmarkFact("BOARD_BENCH")]
    public async Task Board_click_to_task_and_ack_to_screen()
    {
        var rounds = int.Parse(Environment.GetEnvironmentVariable("BOARD_BENCH") ?? "50", CultureInfo.InvariantCulture);
        await using var host = new CommandCenterProcess();
        await host.Start();
        await using var chromium = await Browser.Launch();
        (await host.Api.PutAsJsonAsync($"/api/devices/handheld/{Unit}", new { secret = CommandCenterProcess.SecretOf(Unit), name = "Bench" })).EnsureSuccessStatusCode();

        using var handheld = new MqttClientFactory().CreateMqttClient();
        var tasks = System.Threading.Channels.Channel.CreateUnbounded<(long At, string Payload)>();
        handheld.ApplicationMessageReceivedAsync += args =>
        {
            tasks.Writer.TryWrite((Stopwatch.GetTimestamp(), Encoding.UTF8.GetString(args.ApplicationMessage.Payload)));
            return Task.CompletedTask;
        };
        await handheld.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", host.MqttPort)
            .WithCredentials(Unit, CommandCenterProcess.SecretOf(Unit)).WithClientId(Unit).Build());
        await handheld.SubscribeAsync($"cc/handheld/{Unit}/cmd", MqttQualityOfServiceLevel.AtLeastOnce);
        await Publish(handheld, "telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":36.5472,"lon":104.1402,"battery":0.9}""");

        var page = await chromium.SignIn(host.BaseAddress, "operator", "Operator#2026");
        await Waiting.Until(() => page.EvaluateAsync<bool>("() => !!(window.liveMap && window.liveMap.map)"), up => up, TimeSpan.FromSeconds(15), "connected");

        var toTask = new List<double>();
        var toScreen = new List<double>();
        for (var round = 0; round < rounds + WarmUp; round++)
        {
            using var opened = await host.Api.PostAsJsonAsync("/api/incidents", new { type = "accident", level = "IV", lat = 36.5461, lon = 104.1402, title = $"Bench {round}" });
            var id = (await opened.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString();
            var card = page.Locator($"li.incident[data-incident='{id}']");
            var dispatch = card.Locator($"button.dispatch-nearest[data-unit='{Unit}']");
            await dispatch.WaitForAsync();

            var clicked = Stopwatch.GetTimestamp();
            await dispatch.ClickAsync();
            var (arrived, payload) = await tasks.Reader.ReadAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30));
            var cmdId = JsonDocument.Parse(payload).RootElement.GetProperty("cmdId").GetString();

            // The watcher is in place before the answer goes out; it notes the wall clock when the row turns acknowledged.
            var acknowledged = $"li.incident[data-incident='{id}'] li.unit[data-status='acknowledged']";
            await page.EvaluateAsync("""
                selector => {
                  window.__seen = new Promise(resolve => {
                    const observer = new MutationObserver(() => {
                      if (document.querySelector(selector)) { observer.disconnect(); resolve(Date.now()); }
                    });
                    observer.observe(document.body, { subtree: true, childList: true, attributes: true });
                  });
                }
                """, acknowledged);
            var answered = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
            await Publish(handheld, "cmd/ack", $$"""{"ts":"{{DateTimeOffset.Now:O}}","cmdId":"{{cmdId}}","result":"accepted"}""");
            var shown = await page.EvaluateAsync<long>("() => window.__seen");

            await Publish(handheld, "event", $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"done"}""");
            (await host.Api.PostAsJsonAsync($"/api/incidents/{id}/close", new { report = "bench" })).EnsureSuccessStatusCode();
            await card.WaitForAsync(new() { State = WaitForSelectorState.Detached });
            if (round < WarmUp) continue; // first activations, JIT, the circuit's first renders
            toTask.Add(Stopwatch.GetElapsedTime(clicked, arrived).TotalMilliseconds);
            toScreen.Add(shown - answered);
        }

        output.WriteLine($"{rounds} rounds: board click -> task at the MQTT client p50 {Percentiles.Of(toTask, 50):0.0} ms, p99 {Percentiles.Of(toTask, 99):0.0} ms, max {toTask.Max():0.0} ms");
        output.WriteLine($"{rounds} rounds: cmd/ack published -> board shows acknowledged p50 {Percentiles.Of(toScreen, 50):0} ms, p99 {Percentiles.Of(toScreen, 99):0} ms, max {toScreen.Max():0} ms");
        await handheld.DisconnectAsync();
    }

    private static Task Publish(IMqttClient client, string channel, string payload) =>
        client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"cc/handheld/{Unit}/{channel}").WithPayload(payload)
            .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
}
