using System.Net.Http.Json;
using System.Text.Json;

namespace CommandCenter.Web.Tests;

[Collection(OwnHosts.Name)]
public sealed class RestartTests
{
    [Fact]
    public async Task Alerts_and_device_states_survive_a_restart_and_a_crash()
    {
        var now = DateTimeOffset.Now;
        string dataDirectory;
        string alertId;
        await using (var first = new CommandCenterProcess())
        {
            await first.Start();
            dataDirectory = first.DataDirectory;
            for (var i = 0; i < 3; i++) await first.PublishReading("restart-s1", 160 + i, now.AddSeconds(i));
            await first.Publish("cc/handheld/restart-hh1/telemetry", $$"""{"ts":"{{now:O}}","lat":36.5412,"lon":104.1301,"battery":0.64}""");
            var alert = await first.Api.AlertOf("restart-s1", "exceed-a34004");
            alertId = alert!.Value.GetProperty("id").GetString()!;
            (await first.Api.PostAsync($"/api/alerts/{alertId}/acknowledge", null)).EnsureSuccessStatusCode();
            await first.Stop();
        }

        await using (var second = new CommandCenterProcess(dataDirectory))
        {
            await second.Start();
            var alert = await second.Api.AlertOf("restart-s1", "exceed-a34004");
            Assert.Equal(alertId, alert!.Value.GetProperty("id").GetString());
            Assert.Equal("acknowledged", alert.Value.GetProperty("state").GetString());
            Assert.Equal("api:tests", alert.Value.GetProperty("acknowledgedBy").GetString());

            var handheld = await second.Api.GetFromJsonAsync<JsonElement>("/api/devices/handheld/restart-hh1");
            Assert.Equal(36.5412, handheld.GetProperty("position").GetProperty("lat").GetDouble());
            Assert.Equal(0.64, handheld.GetProperty("battery").GetDouble());
            var sensor = await second.Api.GetFromJsonAsync<JsonElement>("/api/devices/sensor/restart-s1");
            Assert.Equal(162, sensor.GetProperty("readings").GetProperty("a34004").GetDouble());

            // Known devices are on the live list right after start, before they report again.
            var devices = await Waiting.Until(() => second.Api.GetFromJsonAsync<JsonElement[]>("/api/devices")!,
                list => list!.Length >= 2, TimeSpan.FromSeconds(10), "listing both devices");
            Assert.Contains(devices!, d => d.GetProperty("id").GetString() == "restart-hh1");

            // A QoS 1 event is acknowledged by the broker only once its alert is on disk: a crash right after keeps it.
            await second.Publish("cc/handheld/restart-hh1/event", $$"""{"ts":"{{now:O}}","type":"sos","severity":"critical","text":"Inspector needs help"}""");
            await second.Kill();
        }

        await using var third = new CommandCenterProcess(dataDirectory);
        await third.Start();
        var sos = await third.Api.AlertOf("restart-hh1", "sos");
        Assert.NotNull(sos);
        Assert.Equal("critical", sos.Value.GetProperty("severity").GetString());
        Assert.Equal("city-management", sos.Value.GetProperty("network").GetString());
        Assert.NotNull(await third.Api.AlertOf("restart-s1", "exceed-a34004"));
    }

    [Fact]
    public async Task The_device_registry_survives_a_crash_right_after_it_answered()
    {
        string dataDirectory;
        await using (var first = new CommandCenterProcess())
        {
            await first.Start();
            dataDirectory = first.DataDirectory;
            var created = await first.Api.PutAsync("/api/devices/sensor/restart-reg", JsonContent.Create(new { secret = "restart-reg-secret-0123456789" }));
            Assert.Equal(System.Net.HttpStatusCode.Created, created.StatusCode);
            await first.Kill();
        }

        await using var second = new CommandCenterProcess(dataDirectory);
        await second.Start();
        await second.MosquittoPub(["-u", "restart-reg", "-P", "restart-reg-secret-0123456789", "-q", "1", "-t", "cc/sensor/restart-reg/telemetry",
            "-m", $$$"""{"ts":"{{{DateTimeOffset.Now:O}}}","values":{"a34004":12}}"""]);
        Assert.Equal(12, (await second.Api.GetFromJsonAsync<JsonElement>("/api/devices/sensor/restart-reg")).GetProperty("readings").GetProperty("a34004").GetDouble());
        var again = await second.Api.PutAsync("/api/devices/sensor/restart-reg", JsonContent.Create(new { name = "still here" }));
        Assert.Equal(System.Net.HttpStatusCode.OK, again.StatusCode);
    }
}
