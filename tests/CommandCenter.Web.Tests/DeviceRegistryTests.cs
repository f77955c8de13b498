using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Data.Sqlite;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Who may speak for a device, tried against the real host with Debian's mosquitto clients: registration over
/// the API, refused connections, spoofing and sniffing attempts, retirement and the last will.
/// </summary>
[Collection(SharedHost.Name)]
public sealed class DeviceRegistryTests(HostFixture fixture)
{
    private CommandCenterProcess Host => fixture.Host;

    private static long Reason(JsonElement stats, string reason) =>
        stats.GetProperty("rejectedByReason").TryGetProperty(reason, out var count) ? count.GetInt64() : 0;

    private static string Fix(DateTimeOffset at) => $$"""{"ts":"{{at:O}}","lat":36.545,"lon":104.138,"battery":0.5}""";

    private Task<HttpResponseMessage> Put(string kind, string id, object body) =>
        Host.Api.PutAsync($"/api/devices/{kind}/{id}", JsonContent.Create(body));

    /// <summary>mosquitto_pub as typed by a person: no client id, MQTT 3.1.1; returns its exit code and what it printed.</summary>
    private async Task<(int Code, string Error)> Pub(params string[] arguments)
    {
        var start = new ProcessStartInfo("mosquitto_pub") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", Host.MqttPort.ToString(), "-q", "1", .. arguments]) start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, error);
    }

    private Process Sub(params string[] arguments)
    {
        var start = new ProcessStartInfo("mosquitto_sub") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", Host.MqttPort.ToString(), .. arguments]) start.ArgumentList.Add(argument);
        return Process.Start(start)!;
    }

    [Fact]
    public async Task Registering_answers_201_then_200_never_echoes_the_secret_and_keeps_only_a_salted_hash()
    {
        const string secret = "correct-horse-battery-staple-7f3a";
        var created = await Put("sensor", "reg-s1", new { secret, name = "Monitor on Renmin Road", lat = 36.55, lon = 104.17, district = "620402" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var createdBody = await created.Content.ReadAsStringAsync();
        Assert.DoesNotContain(secret, createdBody);
        Assert.Equal("Monitor on Renmin Road", JsonDocument.Parse(createdBody).RootElement.GetProperty("name").GetString());

        var updated = await Put("sensor", "reg-s1", new { district = "620403" });
        Assert.Equal(HttpStatusCode.OK, updated.StatusCode);
        var updatedBody = JsonDocument.Parse(await updated.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("620403", updatedBody.GetProperty("district").GetString());
        Assert.Equal("Monitor on Renmin Road", updatedBody.GetProperty("name").GetString());
        Assert.True(updatedBody.GetProperty("hasSecret").GetBoolean());

        // A new device without a secret, a bad id, and an id taken by another kind are refused.
        Assert.Equal(HttpStatusCode.BadRequest, (await Put("sensor", "reg-s-nosecret", new { name = "x" })).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await Put("sensor", "reg-s-short", new { secret = "short" })).StatusCode);
        Assert.Equal(HttpStatusCode.Conflict, (await Put("handheld", "reg-s1", new { secret })).StatusCode);

        // Nothing on disk holds the secret; the registry row holds a PBKDF2 hash.
        var database = Path.Combine(Host.DataDirectory, "state.db");
        foreach (var file in new[] { database, database + "-wal" }.Where(File.Exists))
            Assert.DoesNotContain(secret, Encoding.UTF8.GetString(await File.ReadAllBytesAsync(file)));
        await using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT secret_hash FROM device_registry WHERE id = 'reg-s1'";
        var hash = (string)(await command.ExecuteScalarAsync())!;
        Assert.StartsWith("$7$", hash);
        Assert.DoesNotContain(secret, hash);
    }

    [Fact]
    public async Task Mosquitto_pub_without_credentials_or_with_a_wrong_password_is_refused_and_counted()
    {
        Assert.Equal(HttpStatusCode.Created, (await Put("handheld", "reg-auth", new { secret = "reg-auth-secret-0123456789" })).StatusCode);
        var before = await Host.Api.Stats();

        var anonymous = await Pub("-t", "cc/handheld/reg-auth/telemetry", "-m", Fix(DateTimeOffset.Now));
        Assert.NotEqual(0, anonymous.Code);
        Assert.Contains("not authorised", anonymous.Error);
        var wrong = await Pub("-u", "reg-auth", "-P", "not-the-secret-0123456789", "-t", "cc/handheld/reg-auth/telemetry", "-m", Fix(DateTimeOffset.Now));
        Assert.NotEqual(0, wrong.Code);
        Assert.Contains("bad user name or password", wrong.Error);
        var unknown = await Pub("-u", "reg-nobody", "-P", "reg-auth-secret-0123456789", "-t", "cc/handheld/reg-nobody/telemetry", "-m", Fix(DateTimeOffset.Now));
        Assert.NotEqual(0, unknown.Code);

        Assert.Equal(Reason(before, "auth") + 3, Reason(await Host.Api.Stats(), "auth"));
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Api.GetAsync("/api/devices/handheld/reg-auth")).StatusCode);

        // The same command with the device's credentials and still no client id works as typed.
        var good = await Pub("-u", "reg-auth", "-P", "reg-auth-secret-0123456789", "-t", "cc/handheld/reg-auth/telemetry", "-m", Fix(DateTimeOffset.Now));
        Assert.True(good.Code == 0, good.Error);
        Assert.Equal(HttpStatusCode.OK, (await Host.Api.GetAsync("/api/devices/handheld/reg-auth")).StatusCode);
    }

    [Fact]
    public async Task A_device_cannot_publish_as_another_device_on_either_protocol_version()
    {
        await Host.Register("handheld", "reg-spoofer");
        var before = await Host.Api.Stats();
        var sos = $$"""{"ts":"{{DateTimeOffset.Now:O}}","type":"sos","severity":"critical"}""";

        var v311 = await Pub("-u", "reg-spoofer", "-P", CommandCenterProcess.SecretOf("reg-spoofer"), "-t", "cc/handheld/reg-victim/event", "-m", sos);
        Assert.Equal(0, v311.Code); // 3.1.1 has no way to refuse a publish: it is acknowledged and dropped.
        var v5 = await Pub("-V", "5", "-u", "reg-spoofer", "-P", CommandCenterProcess.SecretOf("reg-spoofer"), "-t", "cc/sensor/reg-victim/event", "-m", sos);
        Assert.Contains("Not authorized", v5.Error);

        Assert.Equal(Reason(before, "acl") + 2, Reason(await Host.Api.Stats(), "acl"));
        Assert.Null(await Host.Api.AlertOf("reg-victim", "sos"));
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Api.GetAsync("/api/devices/handheld/reg-victim")).StatusCode);
    }

    [Fact]
    public async Task A_device_cannot_subscribe_to_everything_only_to_its_own_command_topic()
    {
        await Host.Register("handheld", "reg-sniffer");
        var before = await Host.Api.Stats();
        foreach (var version in new[] { "mqttv311", "mqttv5" })
        {
            using var sniffer = Sub("-V", version, "-u", "reg-sniffer", "-P", CommandCenterProcess.SecretOf("reg-sniffer"), "-t", "#", "-v");
            var output = sniffer.StandardOutput.ReadToEndAsync();
            var error = await sniffer.StandardError.ReadToEndAsync();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(20));
            await sniffer.WaitForExitAsync(timeout.Token);
            Assert.Contains("All subscription requests were denied", error);
            Assert.Equal("", await output);
        }
        Assert.Equal(Reason(before, "acl") + 2, Reason(await Host.Api.Stats(), "acl"));

        using var own = Sub("-u", "reg-sniffer", "-P", CommandCenterProcess.SecretOf("reg-sniffer"), "-t", "cc/handheld/reg-sniffer/cmd", "-C", "1", "-W", "2");
        var ownError = await own.StandardError.ReadToEndAsync();
        await own.WaitForExitAsync();
        Assert.DoesNotContain("denied", ownError);
        Assert.Equal(Reason(before, "acl") + 2, Reason(await Host.Api.Stats(), "acl"));
    }

    [Fact]
    public async Task Retiring_a_device_drops_its_connection_at_once_and_it_cannot_come_back()
    {
        await Host.Register("handheld", "reg-retired");
        using var device = Sub("-u", "reg-retired", "-P", CommandCenterProcess.SecretOf("reg-retired"), "-t", "cc/handheld/reg-retired/cmd");
        var error = device.StandardError.ReadToEndAsync();
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.False(device.HasExited, "mosquitto_sub could not connect as a registered device");

        Assert.Equal(HttpStatusCode.NoContent, (await Host.Api.DeleteAsync("/api/devices/handheld/reg-retired")).StatusCode);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        await device.WaitForExitAsync(timeout.Token);
        // mosquitto_sub reconnects when dropped, and is then refused: the device is no longer registered.
        Assert.Contains("bad user name or password", await error);
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Api.DeleteAsync("/api/devices/handheld/reg-retired")).StatusCode);
    }

    [Fact]
    public async Task A_last_will_of_online_false_takes_the_device_offline_the_moment_its_connection_drops()
    {
        await Host.Publish("cc/handheld/reg-will/telemetry", Fix(DateTimeOffset.Now));
        using var device = Sub("-u", "reg-will", "-P", CommandCenterProcess.SecretOf("reg-will"), "-t", "cc/handheld/reg-will/cmd",
            "--will-topic", "cc/handheld/reg-will/status", "--will-payload", $$"""{"ts":"{{DateTimeOffset.Now:O}}","online":false}""", "--will-qos", "1");
        await Task.Delay(TimeSpan.FromSeconds(1));
        Assert.True((await Host.Api.GetFromJsonAsync<JsonElement>("/api/devices/handheld/reg-will")).GetProperty("online").GetBoolean());

        device.Kill(); // SIGKILL: no DISCONNECT packet, the broker sees the socket close
        await device.WaitForExitAsync();
        // Devices:OfflineAfter is two minutes; the will takes it offline long before.
        await Waiting.Until(() => Host.Api.GetFromJsonAsync<JsonElement>("/api/devices/handheld/reg-will"),
            d => !d.GetProperty("online").GetBoolean(), TimeSpan.FromSeconds(10), "offline");
    }

    [Fact]
    public async Task An_empty_client_id_is_assigned_with_a_clean_session_and_refused_with_0x02_without_one()
    {
        await Host.Register("sensor", "reg-raw");
        Assert.Equal(0, await RawConnect311(cleanSession: true, "reg-raw", CommandCenterProcess.SecretOf("reg-raw")));
        Assert.Equal(2, await RawConnect311(cleanSession: false, "reg-raw", CommandCenterProcess.SecretOf("reg-raw")));
        Assert.Equal(4, await RawConnect311(cleanSession: true, "reg-raw", "not-the-secret-0123456789"));
    }

    /// <summary>An MQTT 3.1.1 CONNECT with an empty client id, written byte by byte; returns the CONNACK return code.</summary>
    private async Task<int> RawConnect311(bool cleanSession, string user, string password)
    {
        static byte[] Field(string text) => [.. new[] { (byte)(Encoding.UTF8.GetByteCount(text) >> 8), (byte)Encoding.UTF8.GetByteCount(text) }, .. Encoding.UTF8.GetBytes(text)];
        byte flags = (byte)(0x80 | 0x40 | (cleanSession ? 0x02 : 0));
        byte[] body = [.. Field("MQTT"), 4, flags, 0, 60, .. Field(""), .. Field(user), .. Field(password)];
        using var tcp = new System.Net.Sockets.TcpClient();
        await tcp.ConnectAsync("127.0.0.1", Host.MqttPort);
        var stream = tcp.GetStream();
        await stream.WriteAsync((byte[])[0x10, (byte)body.Length, .. body]);
        var connack = new byte[4];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await stream.ReadExactlyAsync(connack, timeout.Token);
        Assert.Equal(new byte[] { 0x20, 0x02 }, connack[..2]);
        return connack[3];
    }
}
