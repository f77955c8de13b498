using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Ten thousand devices nobody registered and thousands of alerts, sent over the real broker: the live page still
/// shows the counts, draws a bounded number of rows, and answers an operator at once.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class LiveScaleTests() : OwnHostAndBrowser(Settings)
{
    private static readonly Dictionary<string, string> Settings = new Dictionary<string, string>
    {
        // The flood is slow on a busy machine; no device may go silent into an offline alert while it lasts.
        ["Devices__OfflineAfter"] = "01:00:00",
        ["Dashboard__AlertRows"] = AlertRows.ToString(),
        ["Dashboard__DeviceRows"] = DeviceRows.ToString(),
    };

    private const int Handhelds = 10_000;
    private const int Alarms = 2_000;
    private const int AlertRows = 100, DeviceRows = 200;

    private static string Id(int i) => $"made-up-{i:D5}";

    /// <summary>
    /// A few connections, as a flood from made-up devices would come. QoS 1, so that every message counts: the
    /// assertions below want exact numbers, and QoS 0 may drop some under load, as MQTT allows.
    /// </summary>
    private async Task Flood(IEnumerable<(string Topic, string Payload)> messages, int connections = 4)
    {
        var clients = new List<IMqttClient>();
        try
        {
            for (var c = 0; c < connections; c++)
            {
                var client = new MqttClientFactory().CreateMqttClient();
                await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Host.MqttPort)
                    .WithClientId($"flood-{c}-{Guid.NewGuid():N}"[..23]).WithCleanSession()
                    // A bridge may speak for any device, registered or not: the page must cope either way.
                    .WithCredentials(CommandCenterProcess.GatewayUser, CommandCenterProcess.GatewayPassword).Build());
                clients.Add(client);
            }
            // Many publishes in flight per connection; each completes when the command center has taken the message.
            foreach (var chunk in messages.Chunk(200 * clients.Count))
                await Task.WhenAll(chunk.Select((m, n) => clients[n % clients.Count].PublishAsync(new MqttApplicationMessageBuilder()
                    .WithTopic(m.Topic).WithPayload(Encoding.UTF8.GetBytes(m.Payload))
                    .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build())));
        }
        finally
        {
            foreach (var client in clients)
            {
                if (client.IsConnected) await client.DisconnectAsync();
                client.Dispose();
            }
        }
    }

    [Fact]
    public async Task Ten_thousand_made_up_devices_and_thousands_of_alerts_leave_the_live_page_bounded_and_responsive()
    {
        var now = DateTimeOffset.Now;
        await Flood(Enumerable.Range(0, Handhelds).Select(i => ($"cc/handheld/{Id(i)}/telemetry",
            JsonSerializer.Serialize(new { ts = now, lat = 36.50 + i % 100 * 0.001, lon = 104.10 + i / 100 * 0.001, battery = 0.7 }))));
        await Flood(Enumerable.Range(0, Alarms).Select(i => ($"cc/handheld/{Id(i)}/event",
            JsonSerializer.Serialize(new { ts = now, type = "sos", severity = "critical", text = $"help {i}" }))));
        // A few alerts of another type stay listed one by one.
        await Flood(Enumerable.Range(0, 3).Select(i => ($"cc/handheld/{Id(Handhelds - 1 - i)}/event",
            JsonSerializer.Serialize(new { ts = now, type = "fall", severity = "major", text = $"fell {i}" }))), connections: 1);
        Assert.Equal(Alarms + 3, (await Host.Api.GetFromJsonAsync<JsonElement[]>("/api/alerts?state=active&limit=10000"))!.Length);

        var page = await Chromium.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        await Expect(page.Locator("#summary-handheld")).ToHaveTextAsync($"Handheld: {Handhelds} online / {Handhelds}", new() { Timeout = 60_000 });
        await Expect(page.Locator("#active-alert-count")).ToHaveTextAsync($"{Alarms + 3} active");

        // The map received every marker, in batches; it is drawn once the page is live, so clicks now reach the server.
        await Waiting.Until(() => page.EvaluateAsync<int>("() => window.liveMap ? window.liveMap.devices.size : 0"), n => n == Handhelds,
            TimeSpan.FromSeconds(60), "showing every device on the map");

        // 2,000 sos alerts are one group row; the three others are listed.
        var group = page.Locator("#alert-feed li.alert-group[data-alert-type='sos']");
        await Expect(group.Locator(".title")).ToHaveTextAsync("sos × 2,000");
        await Expect(page.Locator("#alert-feed li.alert[data-alert-type='fall']")).ToHaveCountAsync(3);
        Assert.Equal(0, await page.Locator("#alert-feed li.alert[data-alert-type='sos']").CountAsync());
        // Only the rows in view are drawn; scrolling to the end brings the last device (online handhelds go by id).
        await Expect(page.Locator("#device-matches")).ToContainTextAsync($"{Handhelds.ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} devices");
        Assert.InRange(await page.Locator("#device-table tbody tr[data-device]").CountAsync(), 1, DeviceRows);
        await page.Locator("#device-scroll").EvaluateAsync("box => box.scrollTop = box.scrollHeight");
        await Expect(page.Locator($"#device-table tr[data-device='{Id(Handhelds - 1)}']")).ToHaveCountAsync(1);
        Assert.InRange(await page.Locator("#device-table tbody tr[data-device]").CountAsync(), 1, DeviceRows);
        await page.Locator("#device-scroll").EvaluateAsync("box => box.scrollTop = 0");

        // Expanded, the group lists its alerts up to the row cap and counts the rest.
        await group.Locator("button.expand").ClickAsync();
        await Expect(page.Locator("#alert-feed li.alert")).ToHaveCountAsync(AlertRows);
        await Expect(page.Locator("#alerts-not-shown")).ToContainTextAsync($"{(Alarms + 3 - AlertRows).ToString("N0", System.Globalization.CultureInfo.InvariantCulture)} more alerts not shown");
        await page.Locator(".expanded-group[data-alert-type='sos'] button.collapse").ClickAsync();
        await Expect(group).ToHaveCountAsync(1);

        // The operator finds one device among ten thousand by typing its id.
        var wanted = Id(7_777);
        await page.ClickAsync("input[aria-label='Filter devices']");
        await page.Keyboard.TypeAsync(wanted);
        await Expect(page.Locator($"#device-table tr[data-device='{wanted}'] .state")).ToHaveTextAsync("online");
        await Expect(page.Locator("#device-table tbody tr[data-device]")).ToHaveCountAsync(1);
        await Expect(page.Locator("#device-matches")).ToContainTextAsync("1 device matches");

        // While all ten thousand report again from new places, an alarm still reaches the feed, and the map's data
        // follows them: one of them is found at its new place.
        var moved = Id(4_242);
        var flood = Flood(Enumerable.Range(0, Handhelds).Select(i => ($"cc/handheld/{Id(i)}/telemetry",
            JsonSerializer.Serialize(new { ts = now.AddSeconds(1), lat = 36.60 + i % 100 * 0.001, lon = 104.20 + i / 100 * 0.001, battery = 0.6 }))));
        await Flood([($"cc/handheld/under-load/event", JsonSerializer.Serialize(new { ts = now, type = "trapped", severity = "critical", text = "under load" }))], connections: 1);
        await Expect(page.Locator("#alert-feed li.alert[data-device='under-load'] .title")).ToHaveTextAsync("under load", new() { Timeout = 60_000 });
        await flood;
        var at = await Waiting.Until(() => page.EvaluateAsync<double[]>($"() => {{ const d = window.liveMap.device('handheld/{moved}'); return d ? [d.lat, d.lon] : [0, 0]; }}"),
            d => Math.Abs(d[0] - (36.60 + 4_242 % 100 * 0.001)) < 1e-5, TimeSpan.FromSeconds(60), "the moved device at its new place on the map");
        Assert.Equal(104.20 + 4_242 / 100 * 0.001, at[1], 4);
        Assert.Equal(Handhelds, await page.EvaluateAsync<int>("() => window.liveMap.deviceCount()"));

    }
}
