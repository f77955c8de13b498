using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Formatter;
using MQTTnet.Protocol;

namespace CommandCenter.Web.Tests;

/// <summary>
/// The embedded broker against the MQTT standard on the device topics: QoS 2 exactly once, sessions kept within
/// bounds, an empty retained payload, empty client ids and take-over. Where MQTTnet's client hides the behaviour
/// (a DUP re-send, a connection dropped before PUBREL) the packets are written byte by byte.
/// </summary>
public sealed class MqttConformanceTests(MqttConformanceTests.SessionHost fixture) : IClassFixture<MqttConformanceTests.SessionHost>
{
    /// <summary>
    /// A host of its own: commands wait a minute for their answer and are sent once, so a command that arrives twice
    /// came from the session, not from a retry; at most three sessions are kept; a session lasts at most a minute.
    /// </summary>
    public sealed class SessionHost : IAsyncLifetime
    {
        public CommandCenterProcess Host { get; } = new(settings: new Dictionary<string, string>
        {
            ["Commands__AckTimeout"] = "00:01:00",
            ["Commands__Attempts"] = "1",
            ["Mqtt__MaxKeptSessions"] = "3",
            ["Mqtt__MaxSessionExpiry"] = "00:01:00",
        });

        public Task InitializeAsync() => Host.Start();
        public async Task DisposeAsync() => await Host.DisposeAsync();
    }

    private CommandCenterProcess Host => fixture.Host;
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(20);

    private static string Now => DateTimeOffset.Now.ToString("O");

    private static long Reason(JsonElement stats, string reason) =>
        stats.GetProperty("rejectedByReason").TryGetProperty(reason, out var count) ? count.GetInt64() : 0;

    // ---- QoS 2 ----

    [Fact]
    public async Task A_QoS_2_publish_resent_with_DUP_before_PUBREL_is_handled_once_on_the_same_connection()
    {
        const string sensor = "conf-q2-same";
        await Host.Register("sensor", sensor);
        await using var watcher = await Watch($"cc/sensor/{sensor}/#");
        var before = await Host.Api.Stats();

        await using var device = await RawClient.Connect(Host.MqttPort, sensor, sensor, CommandCenterProcess.SecretOf(sensor), cleanSession: true);
        var reading = Reading(35.5);
        await device.PublishQos2(7, $"cc/sensor/{sensor}/telemetry", reading, dup: false);
        Assert.Equal(RawClient.PubRec(7), await device.ReadPacket());
        await device.PublishQos2(7, $"cc/sensor/{sensor}/telemetry", reading, dup: true);
        Assert.Equal(RawClient.PubRec(7), await device.ReadPacket());
        await device.PublishQos2(7, $"cc/sensor/{sensor}/telemetry", reading, dup: true);
        Assert.Equal(RawClient.PubRec(7), await device.ReadPacket());
        await device.Release(7);
        Assert.Equal(RawClient.PubComp(7), await device.ReadPacket());

        // Once released, the identifier carries a new message.
        await device.PublishQos2(7, $"cc/sensor/{sensor}/telemetry", Reading(36.5), dup: false);
        Assert.Equal(RawClient.PubRec(7), await device.ReadPacket());
        await device.Release(7);
        Assert.Equal(RawClient.PubComp(7), await device.ReadPacket());

        var delivered = await watcher.UntilCount(2);
        Assert.Equal(2, delivered.Count);
        Assert.Equal((before.GetProperty("accepted").GetInt64() + 2), (await Host.Api.Stats()).GetProperty("accepted").GetInt64());
    }

    [Fact]
    public async Task A_QoS_2_publish_resent_after_a_reconnect_to_the_kept_session_is_handled_once()
    {
        const string sensor = "conf-q2-reconnect";
        await Host.Register("sensor", sensor);
        await using var watcher = await Watch($"cc/sensor/{sensor}/#");
        var before = await Host.Api.Stats();
        var reading = Reading(41.0);

        await using (var first = await RawClient.Connect(Host.MqttPort, sensor, sensor, CommandCenterProcess.SecretOf(sensor), cleanSession: false))
        {
            await first.PublishQos2(9, $"cc/sensor/{sensor}/telemetry", reading, dup: false);
            Assert.Equal(RawClient.PubRec(9), await first.ReadPacket());
            // The connection drops before PUBREL.
        }

        await using var second = await RawClient.Connect(Host.MqttPort, sensor, sensor, CommandCenterProcess.SecretOf(sensor), cleanSession: false);
        Assert.True(second.SessionPresent);
        await second.PublishQos2(9, $"cc/sensor/{sensor}/telemetry", reading, dup: true);
        Assert.Equal(RawClient.PubRec(9), await second.ReadPacket());
        await second.Release(9);
        Assert.Equal(RawClient.PubComp(9), await second.ReadPacket());
        // A marker behind it: once it has arrived, whatever the re-send could have caused has arrived too.
        await second.PublishQos2(10, $"cc/sensor/{sensor}/telemetry", Reading(1.0), dup: false);
        Assert.Equal(RawClient.PubRec(10), await second.ReadPacket());
        await second.Release(10);
        Assert.Equal(RawClient.PubComp(10), await second.ReadPacket());

        var delivered = await watcher.UntilCount(2);
        Assert.Equal(2, delivered.Count);
        Assert.Contains("41", delivered[0]);
        Assert.Equal(before.GetProperty("accepted").GetInt64() + 2, (await Host.Api.Stats()).GetProperty("accepted").GetInt64());
    }

    // ---- sessions ----

    [Fact]
    public async Task A_handheld_away_gets_its_kept_session_with_the_command_queued_meanwhile_and_again_until_it_acknowledges()
    {
        const string handheld = "conf-hh-away";
        await Host.Register("handheld", handheld);
        var commands = new List<string>();

        var client = new MqttClientFactory().CreateMqttClient();
        var connected = await client.ConnectAsync(Options(handheld, cleanSession: false));
        Assert.False(connected.IsSessionPresent);
        await client.SubscribeAsync($"cc/handheld/{handheld}/cmd", MqttQualityOfServiceLevel.AtLeastOnce);
        await client.DisconnectAsync();
        client.Dispose();

        // Sent while the handheld is away: the broker keeps it in the session.
        var sending = Host.Api.PostAsJsonAsync($"/api/devices/handheld/{handheld}/commands",
            new { type = "task", args = new { caseId = "620402-0301-000077", lat = 36.5461, lon = 104.1402 } });
        // Nothing outside shows the command queued; a second is ample for the call to reach the broker (delivered live
        // instead, the test would still pass: the redelivery below is what only a kept session can do).
        await Task.Delay(TimeSpan.FromSeconds(1));

        // Back, without subscribing again: the subscription and the queued command are there. It is not acknowledged.
        using (var back = new MqttClientFactory().CreateMqttClient())
        {
            back.ApplicationMessageReceivedAsync += args =>
            {
                args.AutoAcknowledge = false;
                lock (commands) commands.Add(args.ApplicationMessage.ConvertPayloadToString());
                return Task.CompletedTask;
            };
            Assert.True((await back.ConnectAsync(Options(handheld, cleanSession: false))).IsSessionPresent);
            await Waiting.Until(() => Task.FromResult(Count(commands)), n => n >= 1, Patience, "the queued command delivered");
            await back.DisconnectAsync();
        }

        // Back again: the unacknowledged command comes once more; now it is acknowledged and answered.
        using var again = new MqttClientFactory().CreateMqttClient();
        again.ApplicationMessageReceivedAsync += args =>
        {
            lock (commands) commands.Add(args.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        Assert.True((await again.ConnectAsync(Options(handheld, cleanSession: false))).IsSessionPresent);
        await Waiting.Until(() => Task.FromResult(Count(commands)), n => n >= 2, Patience, "the unacknowledged command delivered again");
        string cmdId;
        lock (commands)
        {
            Assert.Equal(commands[0], commands[1]);
            cmdId = JsonDocument.Parse(commands[0]).RootElement.GetProperty("cmdId").GetString()!;
        }
        await again.PublishAsync(new MqttApplicationMessageBuilder().WithTopic($"cc/handheld/{handheld}/cmd/ack")
            .WithPayload($$"""{"ts":"{{Now}}","cmdId":"{{cmdId}}","result":"accepted"}""").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        using var response = await sending;
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(1, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("attempts").GetInt32());
        await again.DisconnectAsync();
    }

    [Fact]
    public async Task An_MQTT_5_session_expiry_is_kept_up_to_the_maximum_and_a_session_past_its_expiry_is_gone()
    {
        const string handheld = "conf-hh-v5";
        await Host.Register("handheld", handheld);
        using (var client = new MqttClientFactory().CreateMqttClient())
        {
            var first = await client.ConnectAsync(Options(handheld, cleanSession: false, MqttProtocolVersion.V500, sessionExpiry: 3600));
            Assert.False(first.IsSessionPresent);
            // The broker keeps a session a minute at most here, and says so.
            Assert.Equal(60u, first.SessionExpiryInterval);
            await client.DisconnectAsync();
            Assert.True((await client.ConnectAsync(Options(handheld, cleanSession: false, MqttProtocolVersion.V500, sessionExpiry: 1))).IsSessionPresent);
            await client.DisconnectAsync();
        }

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        using var late = new MqttClientFactory().CreateMqttClient();
        Assert.False((await late.ConnectAsync(Options(handheld, cleanSession: false, MqttProtocolVersion.V500, sessionExpiry: 1))).IsSessionPresent);
        await late.DisconnectAsync();
    }

    [Fact]
    public async Task At_most_the_configured_number_of_sessions_is_kept_and_the_longest_away_goes_first()
    {
        var ids = Enumerable.Range(1, 4).Select(i => $"conf-bound-{i}").ToArray();
        foreach (var id in ids)
        {
            await Host.Register("handheld", id);
            using var client = new MqttClientFactory().CreateMqttClient();
            await client.ConnectAsync(Options(id, cleanSession: false));
            await client.DisconnectAsync();
            // Disconnections are told apart by time; make the order plain.
            await Task.Delay(50);
        }

        using var last = new MqttClientFactory().CreateMqttClient();
        Assert.True((await last.ConnectAsync(Options(ids[^1], cleanSession: false))).IsSessionPresent);
        await last.DisconnectAsync();
        using var first = new MqttClientFactory().CreateMqttClient();
        Assert.False((await first.ConnectAsync(Options(ids[0], cleanSession: false))).IsSessionPresent);
        await first.DisconnectAsync();
    }

    [Fact]
    public async Task A_retired_device_loses_its_kept_session()
    {
        const string handheld = "conf-hh-retired";
        await Host.Register("handheld", handheld);
        using (var client = new MqttClientFactory().CreateMqttClient())
        {
            await client.ConnectAsync(Options(handheld, cleanSession: false));
            await client.SubscribeAsync($"cc/handheld/{handheld}/cmd", MqttQualityOfServiceLevel.AtLeastOnce);
            await client.DisconnectAsync();
            // Kept while the device is registered.
            Assert.True((await client.ConnectAsync(Options(handheld, cleanSession: false))).IsSessionPresent);
            await client.DisconnectAsync();
        }

        Assert.Equal(HttpStatusCode.NoContent, (await Host.Api.DeleteAsync($"/api/devices/handheld/{handheld}")).StatusCode);
        using (var response = await Host.Api.PutAsJsonAsync($"/api/devices/handheld/{handheld}", new { secret = CommandCenterProcess.SecretOf(handheld) }))
            Assert.True(response.IsSuccessStatusCode);

        using var back = new MqttClientFactory().CreateMqttClient();
        Assert.False((await back.ConnectAsync(Options(handheld, cleanSession: false))).IsSessionPresent);
        await back.DisconnectAsync();
    }

    [Fact]
    public async Task Another_device_using_the_same_client_id_does_not_inherit_the_kept_session()
    {
        await Host.Register("handheld", "conf-owner-a");
        await Host.Register("handheld", "conf-owner-b");
        using (var a = new MqttClientFactory().CreateMqttClient())
        {
            await a.ConnectAsync(Options("conf-owner-a", cleanSession: false, clientId: "conf-shared-id"));
            await a.SubscribeAsync("cc/handheld/conf-owner-a/cmd", MqttQualityOfServiceLevel.AtLeastOnce);
            await a.DisconnectAsync();
            // Kept for a.
            Assert.True((await a.ConnectAsync(Options("conf-owner-a", cleanSession: false, clientId: "conf-shared-id"))).IsSessionPresent);
            await a.DisconnectAsync();
        }

        using var b = new MqttClientFactory().CreateMqttClient();
        Assert.False((await b.ConnectAsync(Options("conf-owner-b", cleanSession: false, clientId: "conf-shared-id"))).IsSessionPresent);
        // Had it taken a's session, it would publish as a: its own topics are still the only ones it may use.
        var before = await Host.Api.Stats();
        await b.PublishAsync(new MqttApplicationMessageBuilder().WithTopic("cc/handheld/conf-owner-a/status")
            .WithPayload($$"""{"ts":"{{Now}}","online":true}""").WithQualityOfServiceLevel(MqttQualityOfServiceLevel.AtLeastOnce).Build());
        Assert.Equal(Reason(before, "acl") + 1, Reason(await Host.Api.Stats(), "acl"));
        await b.DisconnectAsync();
    }

    [Fact]
    public async Task A_second_connection_with_the_same_client_id_takes_over_the_first_and_its_kept_session()
    {
        const string handheld = "conf-takeover";
        await Host.Register("handheld", handheld);
        var dropped = new TaskCompletionSource<MqttClientDisconnectedEventArgs>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var first = new MqttClientFactory().CreateMqttClient();
        first.DisconnectedAsync += args => { dropped.TrySetResult(args); return Task.CompletedTask; };
        await first.ConnectAsync(Options(handheld, cleanSession: false, MqttProtocolVersion.V500, sessionExpiry: 60));

        using var second = new MqttClientFactory().CreateMqttClient();
        Assert.True((await second.ConnectAsync(Options(handheld, cleanSession: false, MqttProtocolVersion.V500, sessionExpiry: 60))).IsSessionPresent);
        var taken = await dropped.Task.WaitAsync(Patience);
        Assert.Equal(MqttClientDisconnectReason.SessionTakenOver, taken.Reason);
        Assert.True(second.IsConnected);
        await second.DisconnectAsync();
    }

    // ---- retained, client ids ----

    [Fact]
    public async Task An_empty_retained_payload_on_a_devices_status_clears_and_is_neither_a_rejection_nor_a_reading()
    {
        const string handheld = "conf-clear-retained";
        await Host.Register("handheld", handheld);
        var before = await Host.Api.Stats();
        await Host.MosquittoPub(["-u", handheld, "-P", CommandCenterProcess.SecretOf(handheld), "-q", "1", "-r", "-n", "-t", $"cc/handheld/{handheld}/status"]);

        var after = await Host.Api.Stats();
        Assert.Equal(before.GetProperty("rejected").GetInt64(), after.GetProperty("rejected").GetInt64());
        Assert.Equal(before.GetProperty("accepted").GetInt64(), after.GetProperty("accepted").GetInt64());
        Assert.Equal(before.GetProperty("retainIgnored").GetInt64() + 1, after.GetProperty("retainIgnored").GetInt64());
    }

    [Fact]
    public async Task An_empty_client_id_gets_CONNACK_0x02_without_a_clean_session_and_an_assigned_id_with_one()
    {
        const string sensor = "conf-empty-id";
        await Host.Register("sensor", sensor);
        await using (var refused = await RawClient.Connect(Host.MqttPort, "", sensor, CommandCenterProcess.SecretOf(sensor), cleanSession: false))
            Assert.Equal(2, refused.ReturnCode);
        await using (var taken = await RawClient.Connect(Host.MqttPort, "", sensor, CommandCenterProcess.SecretOf(sensor), cleanSession: true))
            Assert.Equal(0, taken.ReturnCode);

        using var v5 = new MqttClientFactory().CreateMqttClient();
        var result = await v5.ConnectAsync(Options(sensor, cleanSession: true, MqttProtocolVersion.V500, clientId: ""));
        Assert.Equal(MqttClientConnectResultCode.Success, result.ResultCode);
        Assert.False(string.IsNullOrEmpty(result.AssignedClientIdentifier));
        await v5.DisconnectAsync();
    }

    // ---- helpers ----

    private static int Count(List<string> list)
    {
        lock (list) return list.Count;
    }

    private static string Reading(double pm25) => $$$"""{"ts":"{{{Now}}}","values":{"a34004":{{{pm25}}}}}""";

    private MqttClientOptions Options(string device, bool cleanSession, MqttProtocolVersion version = MqttProtocolVersion.V311,
        uint sessionExpiry = 0, string? clientId = null) =>
        new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", Host.MqttPort)
            .WithProtocolVersion(version)
            .WithClientId(clientId ?? $"{device}-client")
            .WithCredentials(device, CommandCenterProcess.SecretOf(device))
            .WithCleanSession(cleanSession)
            .WithSessionExpiryInterval(sessionExpiry)
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build();

    /// <summary>A trusted subscriber (the gateway user) collecting what the broker passes on under a filter.</summary>
    private async Task<Watcher> Watch(string filter)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        var watcher = new Watcher(client);
        client.ApplicationMessageReceivedAsync += args =>
        {
            lock (watcher.Payloads) watcher.Payloads.Add(args.ApplicationMessage.ConvertPayloadToString());
            return Task.CompletedTask;
        };
        await client.ConnectAsync(new MqttClientOptionsBuilder().WithTcpServer("127.0.0.1", Host.MqttPort)
            .WithClientId($"conf-watch-{Guid.NewGuid():N}"[..24])
            .WithCredentials(CommandCenterProcess.GatewayUser, CommandCenterProcess.GatewayPassword).Build());
        await client.SubscribeAsync(filter, MqttQualityOfServiceLevel.AtLeastOnce);
        return watcher;
    }

    private sealed class Watcher(IMqttClient client) : IAsyncDisposable
    {
        public List<string> Payloads { get; } = [];

        /// <summary>Waits for <paramref name="count"/> messages; the caller's last one is a marker, so nothing more is on its way.</summary>
        public async Task<List<string>> UntilCount(int count)
        {
            await Waiting.Until(() => Task.FromResult(Count(Payloads)), n => n >= count, Patience, $"{count} messages delivered");
            lock (Payloads) return [.. Payloads];
        }

        public async ValueTask DisposeAsync()
        {
            await client.DisconnectAsync();
            client.Dispose();
        }
    }

    /// <summary>MQTT 3.1.1 written by hand: only what these tests need, with every packet checked byte by byte.</summary>
    private sealed class RawClient : IAsyncDisposable
    {
        private readonly TcpClient _tcp;
        private readonly NetworkStream _stream;

        private RawClient(TcpClient tcp)
        {
            _tcp = tcp;
            _stream = tcp.GetStream();
        }

        public int ReturnCode { get; private set; }
        public bool SessionPresent { get; private set; }

        public static async Task<RawClient> Connect(int port, string clientId, string user, string password, bool cleanSession)
        {
            var tcp = new TcpClient();
            await tcp.ConnectAsync(IPAddress.Loopback, port);
            var client = new RawClient(tcp);
            var flags = (byte)(0x80 | 0x40 | (cleanSession ? 0x02 : 0));
            byte[] body = [.. Utf8("MQTT"), 4, flags, 0, 60, .. Utf8(clientId), .. Utf8(user), .. Utf8(password)];
            await client.Send(0x10, body);
            var connAck = await client.ReadPacket();
            Assert.Equal(0x20, connAck[0]);
            client.SessionPresent = (connAck[2] & 1) == 1;
            client.ReturnCode = connAck[3];
            return client;
        }

        public static byte[] PubRec(ushort id) => [0x50, 2, (byte)(id >> 8), (byte)id];
        public static byte[] PubComp(ushort id) => [0x70, 2, (byte)(id >> 8), (byte)id];

        public Task PublishQos2(ushort id, string topic, string payload, bool dup) =>
            Send((byte)(0x30 | (dup ? 0x08 : 0) | 0x04), [.. Utf8(topic), (byte)(id >> 8), (byte)id, .. Encoding.UTF8.GetBytes(payload)]);

        public Task Release(ushort id) => Send(0x62, [(byte)(id >> 8), (byte)id]);

        /// <summary>One whole packet: fixed header byte, remaining length (re-encoded in one byte, enough here), body.</summary>
        public async Task<byte[]> ReadPacket()
        {
            using var timeout = new CancellationTokenSource(Patience);
            var header = new byte[1];
            await _stream.ReadExactlyAsync(header, timeout.Token);
            int length = 0, multiplier = 1;
            byte next;
            do
            {
                var one = new byte[1];
                await _stream.ReadExactlyAsync(one, timeout.Token);
                next = one[0];
                length += (next & 0x7F) * multiplier;
                multiplier *= 128;
            } while ((next & 0x80) != 0);
            var body = new byte[length];
            await _stream.ReadExactlyAsync(body, timeout.Token);
            return [header[0], (byte)length, .. body];
        }

        private async Task Send(byte header, byte[] body)
        {
            var length = new List<byte>();
            var remaining = body.Length;
            do
            {
                var b = (byte)(remaining % 128);
                remaining /= 128;
                length.Add(remaining > 0 ? (byte)(b | 0x80) : b);
            } while (remaining > 0);
            await _stream.WriteAsync((byte[])[header, .. length, .. body]);
        }

        private static byte[] Utf8(string text)
        {
            var bytes = Encoding.UTF8.GetBytes(text);
            return [(byte)(bytes.Length >> 8), (byte)bytes.Length, .. bytes];
        }

        public ValueTask DisposeAsync()
        {
            _tcp.Dispose();
            return ValueTask.CompletedTask;
        }
    }
}
