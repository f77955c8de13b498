using System.Net;

namespace CommandCenter.Web.Tests;

[Collection(SharedHost.Name)]
public sealed class EndToEndTests(HostFixture fixture)
{
    private CommandCenterProcess Host => fixture.Host;

    [Fact]
    public async Task Three_over_limit_readings_from_mosquitto_pub_raise_one_alert_on_the_api()
    {
        var now = DateTimeOffset.Now;
        await Host.PublishReading("e2e-raise", 96, now);
        await Host.PublishReading("e2e-raise", 99, now.AddSeconds(10));
        Assert.Null(await Host.Api.AlertOf("e2e-raise", "exceed-a34004"));

        await Host.PublishReading("e2e-raise", 112, now.AddSeconds(20));
        var alert = await Host.Api.AlertOf("e2e-raise", "exceed-a34004");
        Assert.NotNull(alert);
        Assert.Equal("active-unacknowledged", alert.Value.GetProperty("state").GetString());
        Assert.Equal("environment", alert.Value.GetProperty("network").GetString());
        Assert.Equal(112, alert.Value.GetProperty("value").GetDouble());
        Assert.Equal(36.5478, alert.Value.GetProperty("position").GetProperty("lat").GetDouble());

        await Host.PublishReading("e2e-raise", 130, now.AddSeconds(30));
        var alerts = (await Host.Api.Alerts()).Where(a => a.GetProperty("key").GetProperty("deviceId").GetString() == "e2e-raise").ToList();
        var single = Assert.Single(alerts);
        Assert.Equal(alert.Value.GetProperty("id").GetString(), single.GetProperty("id").GetString());
        Assert.Equal(2, single.GetProperty("occurrences").GetInt32());
    }

    [Fact]
    public async Task A_malformed_payload_is_rejected_and_counted_and_the_gateway_keeps_working()
    {
        var before = await Host.Api.Stats();
        await Host.Publish("cc/sensor/e2e-bad/telemetry", "{\"ts\": not json");
        await Host.Publish("cc/sensor/e2e-bad/telemetry", $$$"""{"ts":"{{{DateTimeOffset.Now:O}}}","values":{"a34004":"high"}}""");
        await Host.Publish("cc/submarine/e2e-bad/telemetry", """{"ts":"2026-11-29T08:00:00+08:00"}""");

        var after = await Host.Api.Stats();
        Assert.Equal(before.GetProperty("rejected").GetInt64() + 3, after.GetProperty("rejected").GetInt64());
        var byReason = after.GetProperty("rejectedByReason");
        Assert.True(byReason.GetProperty("json").GetInt64() >= 1);
        Assert.True(byReason.GetProperty("field").GetInt64() >= 1);
        Assert.True(byReason.GetProperty("kind").GetInt64() >= 1);
        Assert.Contains("Rejected message", Host.Log);

        await Host.Publish("cc/handheld/e2e-after-bad/telemetry", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":36.545,"lon":104.138,"battery":0.5}""");
        var device = await Host.Api.GetAsync("/api/devices/handheld/e2e-after-bad");
        Assert.Equal(HttpStatusCode.OK, device.StatusCode);
    }

    [Fact]
    public async Task The_api_wants_a_key_and_health_does_not()
    {
        using var anonymous = new HttpClient { BaseAddress = Host.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/alerts?state=active")).StatusCode);
        anonymous.DefaultRequestHeaders.Add("X-Api-Key", "wrong");
        Assert.Equal(HttpStatusCode.Unauthorized, (await anonymous.GetAsync("/api/devices/sensor/x")).StatusCode);
        using var health = new HttpClient { BaseAddress = Host.BaseAddress };
        Assert.Equal(HttpStatusCode.OK, (await health.GetAsync("/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Host.Api.GetAsync("/api/devices")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Api.GetAsync("/api/devices/sensor/never-seen")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Api.GetAsync("/api/devices/drone/x")).StatusCode);
    }
}
