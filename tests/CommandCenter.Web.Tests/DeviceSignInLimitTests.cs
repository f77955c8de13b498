using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using MQTTnet;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Failed device sign-ins against the real host, over MQTT (mosquitto_pub and MQTTnet) and HJ 212: past the limit
/// they are refused without a PBKDF2 run (the host counts its runs in <c>secretChecks</c>), while good devices from
/// other addresses still get in. The host is restarted after registering, so no secret is remembered as checked and
/// every good device below costs a real check. Each test uses its own loopback addresses (all of 127.0.0.0/8 is
/// loopback on Linux), which the host counts as separate clients.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class DeviceSignInLimitTests : IAsyncLifetime
{
    private const int Limit = 5;
    private static readonly string[] Devices = ["lim-victim", "lim-good", "lim-victim2", "lim-good2", "lim-s1", "lim-s2"];
    private CommandCenterProcess _host = null!;

    public async Task InitializeAsync()
    {
        var data = Directory.CreateTempSubdirectory("command-center-test-").FullName;
        await using (var first = new CommandCenterProcess(data))
        {
            await first.Start();
            foreach (var id in Devices) await first.Register(id.StartsWith("lim-s") ? "sensor" : "handheld", id);
        }
        _host = new CommandCenterProcess(data, new Dictionary<string, string>
        {
            ["DeviceSignIn__FailuresPerAddress"] = Limit.ToString(),
            ["DeviceSignIn__FailuresPerDevice"] = "1000",
            ["DeviceSignIn__MaxConcurrentChecks"] = "1",
        });
        await _host.Start();
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<long> SecretChecks() => (await _host.Api.Stats()).GetProperty("secretChecks").GetInt64();

    private async Task<long> AuthRejections() =>
        (await _host.Api.Stats()).GetProperty("rejectedByReason").TryGetProperty("auth", out var count) ? count.GetInt64() : 0;

    /// <summary>mosquitto_pub from <paramref name="from"/> as <paramref name="user"/>; its exit code and what it printed.</summary>
    private async Task<(int Code, string Error)> Pub(string from, string user, string password)
    {
        var start = new ProcessStartInfo("mosquitto_pub") { RedirectStandardError = true, RedirectStandardOutput = true };
        foreach (var argument in (string[])["-h", "127.0.0.1", "-p", _host.MqttPort.ToString(), "-A", from, "-q", "1",
                     "-u", user, "-P", password, "-t", $"cc/handheld/{user}/telemetry",
                     "-m", $$"""{"ts":"{{DateTimeOffset.Now:O}}","lat":36.545,"lon":104.138,"battery":0.5}"""])
            start.ArgumentList.Add(argument);
        using var process = Process.Start(start)!;
        var error = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return (process.ExitCode, error);
    }

    private async Task<MqttClientConnectResultCode> Connect(string from, string user, string password)
    {
        using var client = new MqttClientFactory().CreateMqttClient();
        var options = new MqttClientOptionsBuilder()
            .WithEndPoint(new IPEndPoint(IPAddress.Loopback, _host.MqttPort))
            .WithCredentials(user, password)
            .WithProtocolVersion(MQTTnet.Formatter.MqttProtocolVersion.V500)
            .WithTimeout(TimeSpan.FromSeconds(60))
            .Build();
        ((MqttClientTcpOptions)options.ChannelOptions).LocalEndpoint = new IPEndPoint(IPAddress.Parse(from), 0);
        try
        {
            return (await client.ConnectAsync(options)).ResultCode;
        }
        catch (MQTTnet.Adapter.MqttConnectingFailedException)
        {
            // MQTTnet answers a refusing CONNACK with its result; this is a refusal it could not read.
            return MqttClientConnectResultCode.UnspecifiedError;
        }
    }

    [Fact]
    public async Task Wrong_passwords_in_a_loop_are_refused_unchecked_after_the_limit_and_a_good_device_elsewhere_still_connects()
    {
        var (checks, auth) = (await SecretChecks(), await AuthRejections());

        for (var i = 0; i < 20; i++)
            Assert.NotEqual(0, (await Pub("127.0.0.21", "lim-victim", $"guess-number-{i}-0123456789")).Code);
        Assert.Equal(checks + Limit, await SecretChecks());
        Assert.Equal(auth + 20, await AuthRejections());

        // Past the limit even the right secret is not checked from that address: the attacker learns nothing.
        var pastLimit = await Pub("127.0.0.21", "lim-victim", CommandCenterProcess.SecretOf("lim-victim"));
        Assert.NotEqual(0, pastLimit.Code);
        Assert.Contains("unavailable", pastLimit.Error); // MQTT 3.1.1 return code 3: try again later
        Assert.Equal(checks + Limit, await SecretChecks());

        var good = await Pub("127.0.0.22", "lim-good", CommandCenterProcess.SecretOf("lim-good"));
        Assert.True(good.Code == 0, good.Error);
        Assert.Equal(checks + Limit + 1, await SecretChecks());
    }

    [Fact]
    public async Task A_burst_of_connections_with_wrong_passwords_costs_at_most_the_limit_while_a_good_device_connects()
    {
        var checks = await SecretChecks();

        var burst = Enumerable.Range(0, 100).Select(i => Connect("127.0.0.23", "lim-victim2", $"burst-guess-{i}-0123456789")).ToList();
        var good = Connect("127.0.0.24", "lim-good2", CommandCenterProcess.SecretOf("lim-good2"));
        var results = await Task.WhenAll(burst);

        Assert.Equal(MqttClientConnectResultCode.Success, await good);
        Assert.DoesNotContain(MqttClientConnectResultCode.Success, results);
        Assert.Equal(100 - Limit, results.Count(code => code == MqttClientConnectResultCode.ConnectionRateExceeded));
        Assert.Equal(checks + Limit + 1, await SecretChecks());
    }

    [Fact]
    public async Task Wrong_hj212_passwords_share_the_limit_with_mqtt_and_a_good_monitor_elsewhere_is_heard()
    {
        var (checks, auth) = (await SecretChecks(), await AuthRejections());
        var now = DateTimeOffset.Now;

        using (var attacker = new TcpClient(new IPEndPoint(IPAddress.Parse("127.0.0.25"), 0)))
        {
            await attacker.ConnectAsync(IPAddress.Loopback, _host.Hj212Port);
            var stream = attacker.GetStream();
            for (var i = 0; i < 20; i++)
                await stream.WriteAsync(Hj212Frames.Frame(Hj212Frames.Packet("lim-s1", $"pw-guess-{i}", "2011", now, "a34004-Rtd=35.2,a34004-Flag=N", flag: 4)));
            await Waiting.Until(AuthRejections, count => count >= auth + 20, TimeSpan.FromSeconds(60), "20 HJ 212 refusals counted");
        }
        Assert.Equal(checks + Limit, await SecretChecks());

        // One limiter for both protocols: the same address over MQTT is refused unchecked.
        Assert.NotEqual(0, (await Pub("127.0.0.25", "lim-good", "another-guess-0123456789")).Code);
        Assert.Equal(checks + Limit, await SecretChecks());

        using (var monitor = new TcpClient(new IPEndPoint(IPAddress.Parse("127.0.0.26"), 0)))
        {
            await monitor.ConnectAsync(IPAddress.Loopback, _host.Hj212Port);
            var packet = Hj212Frames.Packet("lim-s2", CommandCenterProcess.SecretOf("lim-s2"), "2011", now, "a34004-Rtd=41.5,a34004-Flag=N", flag: 5);
            await monitor.GetStream().WriteAsync(Hj212Frames.Frame(packet));
            var reply = new byte[256];
            Assert.True(await monitor.GetStream().ReadAsync(reply) > 0); // CN=9014 once the reading is taken
        }
        var sensor = await _host.Api.GetFromJsonAsync<JsonElement>("/api/devices/sensor/lim-s2");
        Assert.Equal(41.5, sensor.GetProperty("readings").GetProperty("a34004").GetDouble());
        Assert.Equal(checks + Limit + 1, await SecretChecks());
    }
}
