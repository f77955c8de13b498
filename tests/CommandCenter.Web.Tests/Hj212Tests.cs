using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using static CommandCenter.Web.Tests.Hj212Frames;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Monitors speaking HJ 212-2017 to the real host over a real TCP connection, with frames built here from the
/// standard's format (the CRC written out bit by bit in Hj212Frames, apart from the host's code).
/// </summary>
[Collection(SharedHost.Name)]
public sealed class Hj212Tests(HostFixture fixture)
{
    private CommandCenterProcess Host => fixture.Host;

    private async Task<string> Register(string mn)
    {
        var pw = $"{mn}-hj212-secret-0001";
        var response = await Host.Api.PutAsync($"/api/devices/sensor/{mn}", JsonContent.Create(new { secret = pw }));
        response.EnsureSuccessStatusCode();
        return pw;
    }

    private async Task<(TcpClient Client, NetworkStream Stream)> Connect()
    {
        var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Host.Hj212Port);
        return (client, client.GetStream());
    }

    /// <summary>Sends a reply-requested packet and waits for its 9014, so the host has taken it before the test looks.</summary>
    private static async Task Send(NetworkStream stream, string packet)
    {
        await stream.WriteAsync(Frame(packet));
        Assert.NotNull(await ReadReply(stream));
    }

    private async Task<JsonElement?> Device(string mn)
    {
        var response = await Host.Api.GetAsync($"/api/devices/sensor/{mn}");
        if (response.StatusCode == HttpStatusCode.NotFound) return null;
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static long Reason(JsonElement stats, string reason) =>
        stats.GetProperty("rejectedByReason").TryGetProperty(reason, out var count) ? count.GetInt64() : 0;

    [Fact]
    public async Task Three_over_limit_normal_real_time_values_raise_a_pm25_alert()
    {
        var pw = await Register("hj-raise");
        var (client, stream) = await Connect();
        using var _ = client;
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        await Send(stream, Packet("hj-raise", pw, "2011", now, "a34004-Rtd=96.0,a34004-Flag=N"));
        await Send(stream, Packet("hj-raise", pw, "2011", now.AddSeconds(10), "a34004-Rtd=99.5,a34004-Flag=N"));
        Assert.Null(await Host.Api.AlertOf("hj-raise", "exceed-a34004"));
        await Send(stream, Packet("hj-raise", pw, "2011", now.AddSeconds(20), "a34004-Rtd=112.0,a34004-Flag=N"));
        var alert = await Host.Api.AlertOf("hj-raise", "exceed-a34004");
        Assert.NotNull(alert);
        Assert.Equal(112, alert.Value.GetProperty("value").GetDouble());
    }

    [Fact]
    public async Task Over_limit_values_flagged_T_are_shown_but_raise_no_alert()
    {
        var pw = await Register("hj-overrange");
        var (client, stream) = await Connect();
        using var _ = client;
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        for (var i = 0; i < 4; i++)
            await Send(stream, Packet("hj-overrange", pw, "2011", now.AddSeconds(10 * i), $"a34004-Rtd={500 + i},a34004-Flag=T"));
        var device = await Device("hj-overrange");
        Assert.Equal(503, device!.Value.GetProperty("readings").GetProperty("a34004").GetDouble());
        Assert.Null(await Host.Api.AlertOf("hj-overrange", "exceed-a34004"));
    }

    [Fact]
    public async Task A_monitor_keeps_its_short_factory_pw_while_handhelds_still_need_long_secrets()
    {
        // Data loggers keep a short PW; the monitor is registered with it as it is and its readings are taken.
        Assert.Equal(HttpStatusCode.Created, (await Host.Api.PutAsJsonAsync("/api/devices/sensor/hj-shortpw", new { secret = "123456" })).StatusCode);
        var (client, stream) = await Connect();
        using var _ = client;
        await Send(stream, Packet("hj-shortpw", "123456", "2011", DateTimeOffset.UtcNow.AddMinutes(-1), "a34004-Rtd=41.5,a34004-Flag=N"));
        Assert.Equal(41.5, (await Device("hj-shortpw"))!.Value.GetProperty("readings").GetProperty("a34004").GetDouble());

        Assert.Equal(HttpStatusCode.BadRequest, (await Host.Api.PutAsJsonAsync("/api/devices/handheld/hh-shortpw", new { secret = "123456" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Host.Api.PutAsJsonAsync("/api/devices/sensor/hj-shortpw-2", new { secret = "12345" })).StatusCode);
        // A PW is carried between the frame's separators, so it cannot hold one.
        Assert.Equal(HttpStatusCode.BadRequest, (await Host.Api.PutAsJsonAsync("/api/devices/sensor/hj-shortpw-3", new { secret = "abc;MN=other" })).StatusCode);
    }

    [Fact]
    public async Task A_wrong_pw_stores_nothing_gets_no_reply_and_is_counted_auth()
    {
        await Register("hj-wrongpw");
        var before = Reason(await Host.Api.Stats(), "auth");
        var (client, stream) = await Connect();
        using var _ = client;
        await stream.WriteAsync(Frame(Packet("hj-wrongpw", "not-the-secret-of-this-one", "2011", DateTimeOffset.UtcNow, "a34004-Rtd=300,a34004-Flag=N")));
        Assert.Null(await ReadReply(stream, TimeSpan.FromSeconds(2)));
        Assert.Equal(before + 1, Reason(await Host.Api.Stats(), "auth"));
        Assert.Null(await Device("hj-wrongpw"));
    }

    [Fact]
    public async Task A_bad_crc_is_counted_and_the_next_frame_on_the_same_connection_is_taken()
    {
        var pw = await Register("hj-crc");
        var before = Reason(await Host.Api.Stats(), "crc");
        var (client, stream) = await Connect();
        using var _ = client;
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        await stream.WriteAsync(Frame(Packet("hj-crc", pw, "2011", now, "a34004-Rtd=40,a34004-Flag=N"), corruptCrc: true));
        await Send(stream, Packet("hj-crc", pw, "2011", now.AddSeconds(1), "a34004-Rtd=41,a34004-Flag=N"));
        Assert.Equal(before + 1, Reason(await Host.Api.Stats(), "crc"));
        Assert.Equal(41, (await Device("hj-crc"))!.Value.GetProperty("readings").GetProperty("a34004").GetDouble());
    }

    [Fact]
    public async Task A_frame_over_the_maximum_length_is_counted_oversized_and_the_next_frame_is_taken()
    {
        var pw = await Register("hj-big");
        var before = Reason(await Host.Api.Stats(), "oversized");
        var (client, stream) = await Connect();
        using var _ = client;
        // The standard's maximum data segment is 1024 bytes; this one announces and sends 2000.
        await stream.WriteAsync(Encoding.ASCII.GetBytes($"##2000{new string('x', 2000)}0000\r\n"));
        await Send(stream, Packet("hj-big", pw, "2011", DateTimeOffset.UtcNow.AddMinutes(-1), "a34004-Rtd=33,a34004-Flag=N"));
        Assert.Equal(before + 1, Reason(await Host.Api.Stats(), "oversized"));
        Assert.Equal(33, (await Device("hj-big"))!.Value.GetProperty("readings").GetProperty("a34004").GetDouble());
    }

    [Fact]
    public async Task A_reply_requested_frame_gets_a_9014_data_reply_with_a_correct_crc()
    {
        var pw = await Register("hj-reply");
        var (client, stream) = await Connect();
        using var _ = client;
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        await stream.WriteAsync(Frame(Packet("hj-reply", pw, "2011", at, "a34004-Rtd=20,a34004-Flag=N")));
        var reply = await ReadReply(stream);
        Assert.NotNull(reply);
        var expected = $"QN={Qn(at)};ST=91;CN=9014;PW={pw};MN=hj-reply;Flag=4;CP=&&&&";
        Assert.Equal($"##{expected.Length:D4}{expected}{Crc(Encoding.ASCII.GetBytes(expected)):X4}\r\n", reply);
    }

    [Fact]
    public async Task A_split_packet_is_applied_once_its_last_part_is_in()
    {
        var pw = await Register("hj-split");
        var (client, stream) = await Connect();
        using var _ = client;
        var at = DateTimeOffset.UtcNow.AddMinutes(-1);
        var qn = Qn(at);
        await Send(stream, $"QN={qn};ST=22;CN=2011;PW={pw};MN=hj-split;Flag=7;PNUM=2;PNO=1;CP=&&DataTime={DataTime(at)};a34004-Rtd=30,a34004-Flag=N&&");
        Assert.Null(await Device("hj-split"));
        await Send(stream, $"QN={qn};ST=22;CN=2011;PW={pw};MN=hj-split;Flag=7;PNUM=2;PNO=2;CP=&&a34002-Rtd=60,a34002-Flag=N&&");
        var readings = (await Device("hj-split"))!.Value.GetProperty("readings");
        Assert.Equal(30, readings.GetProperty("a34004").GetDouble());
        Assert.Equal(60, readings.GetProperty("a34002").GetDouble());
    }

    [Fact]
    public async Task Hour_data_appear_as_averages_on_the_sensor_and_raise_no_alert()
    {
        var pw = await Register("hj-hour");
        var (client, stream) = await Connect();
        using var _ = client;
        var hour = DateTimeOffset.UtcNow.AddMinutes(-30);
        for (var i = 0; i < 3; i++)
            await Send(stream, Packet("hj-hour", pw, "2061", hour.AddSeconds(i),
                "a21026-Avg=620.5,a21026-Min=410.1,a21026-Max=800.0,a21026-Flag=N"));
        var average = (await Device("hj-hour"))!.Value.GetProperty("averages").GetProperty("a21026");
        Assert.Equal("hour", average.GetProperty("period").GetString());
        Assert.Equal(620.5, average.GetProperty("avg").GetDouble());
        Assert.Equal(410.1, average.GetProperty("min").GetDouble());
        Assert.Equal(800.0, average.GetProperty("max").GetDouble());
        Assert.Null(await Host.Api.AlertOf("hj-hour", "exceed-a21026"));
    }
}

/// <summary>The HJ 212 idle timeout, on a host of its own with a short one.</summary>
[Collection(OwnHosts.Name)]
public sealed class Hj212IdleTests
{
    [Fact]
    public async Task A_silent_connection_is_closed_after_the_idle_timeout()
    {
        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string> { ["Hj212__IdleTimeout"] = "00:00:01" });
        await host.Start();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, host.Hj212Port);
        using var wait = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        // Nothing is sent: the host must end the connection, which the client reads as end of stream.
        Assert.Equal(0, await client.GetStream().ReadAsync(new byte[16], wait.Token));
    }
}
