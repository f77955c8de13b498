using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Flood control for a district going dark: thirty handhelds of one district fall silent together and the operators
/// get one grouped alert listing them (API and page), not thirty; a lone device elsewhere still gets its own alert.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class DistrictOfflineTests() : OwnHostAndBrowser(Settings)
{
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Devices__OfflineAfter"] = "00:00:03",
        ["Devices__OfflineCheckInterval"] = "00:00:00.500",
        ["Alerts__GroupOfflineAbove"] = "10",
        ["Alerts__GroupOfflineWindow"] = "00:00:02",
    };

    private static readonly List<string> Dark = [.. Enumerable.Range(0, 30).Select(i => $"jt-{i:00}")];
    private const string Lone = "hn-lone";

    /// <summary>One message per device, QoS 1, over one connection of the trusted gateway user, as a bridge would send them.</summary>
    private async Task Report(IEnumerable<(string Id, double Lat, double Lon)> devices)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Host.MqttPort)
            .WithClientId($"district-{Guid.NewGuid():N}"[..23]).WithCleanSession()
            .WithCredentials(CommandCenterProcess.GatewayUser, CommandCenterProcess.GatewayPassword).Build());
        foreach (var (id, lat, lon) in devices)
            await client.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"cc/handheld/{id}/telemetry")
                .WithPayload(Encoding.UTF8.GetBytes(JsonSerializer.Serialize(new { ts = DateTimeOffset.Now, lat, lon, battery = 0.8 })))
                .WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        await client.DisconnectAsync();
    }

    private static string Type(JsonElement alert) => alert.GetProperty("key").GetProperty("type").GetString()!;
    private static string Device(JsonElement alert) => alert.GetProperty("key").GetProperty("deviceId").GetString()!;

    [Fact]
    public async Task Thirty_handhelds_of_one_district_going_silent_make_one_grouped_alert_that_clears_when_they_are_back()
    {
        // The registry names their district (景泰县); their position, in 白银区, does not count then.
        foreach (var id in Dark)
        {
            using var registered = await Host.Api.PutAsJsonAsync($"/api/devices/handheld/{id}",
                new { secret = CommandCenterProcess.SecretOf(id), district = "620423" });
            registered.EnsureSuccessStatusCode();
        }
        // Unregistered, placed in 会宁县: the district comes from the position.
        await Report([.. Dark.Select(id => (id, 36.545, 104.138)), (Lone, 35.69, 105.05)]);

        var group = await Waiting.Until(() => Host.Api.AlertOf("district-620423", "offline-district"),
            a => a?.GetProperty("value").GetDouble() == Dark.Count, TimeSpan.FromSeconds(30), "one grouped alert over all thirty");
        var groupId = group!.Value.GetProperty("id").GetString()!;
        Assert.Contains("景泰县 620423", group.Value.GetProperty("title").GetString());
        await Waiting.Until(() => Host.Api.AlertOf(Lone, "offline"), a => a is not null, TimeSpan.FromSeconds(30), "the lone device alerted on its own");
        var active = await Host.Api.Alerts();
        Assert.DoesNotContain(active, a => Type(a) == "offline" && Dark.Contains(Device(a)));
        Assert.Single(active, a => Type(a) == "offline-district");

        var listed = await Host.Api.GetFromJsonAsync<JsonElement>($"/api/alerts/{groupId}/devices");
        Assert.Equal("620423", listed.GetProperty("district").GetString());
        Assert.Equal(Dark, listed.GetProperty("devices").EnumerateArray().Select(d => d.GetString()!));

        var page = await Chromium.SignIn(Host.BaseAddress, "operator", "Operator#2026");
        await Expect(page.Locator($"li[data-alert-id='{groupId}'] a.devices")).ToBeVisibleAsync(new() { Timeout = 30_000 });
        await page.Locator($"li[data-alert-id='{groupId}'] a.devices").ClickAsync();
        await Expect(page.Locator("#alert-devices-table tbody tr")).ToHaveCountAsync(Dark.Count);
        await Expect(page.Locator("#alert-devices-table tr[data-device='jt-07']")).ToBeVisibleAsync();

        await Report(Dark.Select(id => (id, 36.545, 104.138)));
        await Waiting.Until(() => Host.Api.Alerts("cleared"), cleared => cleared.Any(a => a.GetProperty("id").GetString() == groupId),
            TimeSpan.FromSeconds(30), "the grouped alert cleared");
    }
}
