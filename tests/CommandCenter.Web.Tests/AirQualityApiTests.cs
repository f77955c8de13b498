using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using static CommandCenter.Web.Tests.Hj212Frames;

namespace CommandCenter.Web.Tests;

/// <summary>A monitor's AQI and its profile's limits through the real host: HJ 212 in over TCP, the API out.</summary>
[Collection(SharedHost.Name)]
public sealed class AirQualityApiTests(HostFixture fixture)
{
    private CommandCenterProcess Host => fixture.Host;

    private async Task<string> Register(string mn, string? profile = null)
    {
        var pw = $"{mn}-aqi-secret-00001";
        var response = await Host.Api.PutAsync($"/api/devices/sensor/{mn}", JsonContent.Create(new { secret = pw, profile }));
        response.EnsureSuccessStatusCode();
        return pw;
    }

    private async Task SendReadings(string mn, string pw, params string[] cps)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Host.Hj212Port);
        var stream = client.GetStream();
        var at = DateTimeOffset.UtcNow.AddSeconds(-30);
        for (var i = 0; i < cps.Length; i++)
        {
            await stream.WriteAsync(Frame(Packet(mn, pw, "2011", at.AddSeconds(i), cps[i])));
            Assert.NotNull(await ReadReply(stream));
        }
    }

    private async Task<JsonElement> Device(string mn) =>
        await Host.Api.GetFromJsonAsync<JsonElement>($"/api/devices/sensor/{mn}");

    [Fact]
    public async Task An_ambient_sensor_answers_with_its_aqi_primary_pollutant_and_level()
    {
        var pw = await Register("aqi-ambient");
        // PM2.5 92 µg/m³ (its 24-h average so far): IAQI 122; NO2 250 µg/m³ in the hour: 105; CO 3.3 mg/m³: 33.
        await SendReadings("aqi-ambient", pw, "a34004-Rtd=92,a34004-Flag=N;a21004-Rtd=250,a21004-Flag=N;a21005-Rtd=3.3,a21005-Flag=N");
        var device = await Device("aqi-ambient");
        Assert.Equal(122, device.GetProperty("aqi").GetInt32());
        Assert.Equal("a34004", device.GetProperty("primaryPollutant").GetString());
        var level = device.GetProperty("aqiLevel");
        Assert.Equal((3, "轻度污染", "#FF7E00"), (level.GetProperty("number").GetInt32(), level.GetProperty("chinese").GetString(), level.GetProperty("color").GetString()));
        Assert.Equal(105, device.GetProperty("iaqi").GetProperty("a21004").GetInt32());
        Assert.Equal(33, device.GetProperty("iaqi").GetProperty("a21005").GetInt32());
    }

    [Fact]
    public async Task A_source_outlet_has_no_aqi_and_is_judged_on_emission_limits()
    {
        var pw = await Register("aqi-outlet", profile: "source");
        var registered = await Host.Api.PutAsync("/api/devices/sensor/aqi-outlet", JsonContent.Create(new { name = "Stack 1" }));
        // A registration without a profile keeps the one registered.
        Assert.Equal("source", (await registered.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("profile").GetString());
        // SO2 150 mg/m³ three times: above GB 13223-2011's 100 mg/m³, far below anything ambient would flag as µg/m³ 500.
        await SendReadings("aqi-outlet", pw, "a21026-Rtd=150,a21026-Flag=N", "a21026-Rtd=150,a21026-Flag=N", "a21026-Rtd=150,a21026-Flag=N");
        var device = await Device("aqi-outlet");
        Assert.Equal(JsonValueKind.Null, device.GetProperty("aqi").ValueKind);
        Assert.Equal(JsonValueKind.Null, device.GetProperty("primaryPollutant").ValueKind);
        var alert = await Host.Api.AlertOf("aqi-outlet", "exceed-a21026");
        Assert.NotNull(alert);
        Assert.Equal(100, alert.Value.GetProperty("limit").GetDouble());
        Assert.Contains("GB 13223-2011", alert.Value.GetProperty("title").GetString());
        Assert.Equal(150, alert.Value.GetProperty("peak").GetDouble());
    }

    [Fact]
    public async Task An_unknown_profile_is_refused_with_a_problem()
    {
        var response = await Host.Api.PutAsync("/api/devices/sensor/aqi-badprofile",
            JsonContent.Create(new { secret = "aqi-badprofile-secret-01", profile = "volcano" }));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("volcano", await response.Content.ReadAsStringAsync());
        var camera = await Host.Api.PutAsync("/api/devices/handheld/aqi-badkind",
            JsonContent.Create(new { secret = "aqi-badkind-secret-0001", profile = "ambient" }));
        Assert.Equal(HttpStatusCode.BadRequest, camera.StatusCode);
    }
}
