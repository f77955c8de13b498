using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using MQTTnet;
using MQTTnet.Protocol;
using static CommandCenter.Web.Tests.Hj212Frames;

namespace CommandCenter.Web.Tests;

/// <summary>
/// What a city's auditors throw at the gateway: over a hundred thousand generated bad inputs over MQTT and HJ 212,
/// from a seeded generator (the seed is in every failure message), against a host of its own. Every bad input must be
/// rejected and counted under the reason it deserves, and afterwards the host must be healthy, still raise alerts
/// from valid readings on both protocols, and give back the memory the flood took.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class FuzzTests : IAsyncLifetime
{
    private const int Seed = 20261130;
    private const int MqttConnections = 3;
    private static readonly TimeSpan FloodReplyWait = TimeSpan.FromSeconds(30);
    private const int MqttInputsPerConnection = 20_000;
    private const int Hj212Connections = 4;
    private const int Hj212InputsPerConnection = 12_000;
    private const int MaxPayloadBytes = 65536;
    private const int MaxDataLength = 1024;

    private readonly CommandCenterProcess _host = new();

    public Task InitializeAsync() => _host.Start();
    public async Task DisposeAsync() => await _host.DisposeAsync();

    private static long Reason(JsonElement stats, string reason) =>
        stats.GetProperty("rejectedByReason").TryGetProperty(reason, out var count) ? count.GetInt64() : 0;

    private static Dictionary<string, long> Reasons(JsonElement stats) =>
        stats.GetProperty("rejectedByReason").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetInt64());

    private static string Describe(Dictionary<string, long> counts) => string.Join(", ", counts.OrderBy(c => c.Key).Select(c => $"{c.Key}={c.Value}"));

    private static Dictionary<string, long> Delta(JsonElement before, JsonElement after)
    {
        var b = Reasons(before);
        return Reasons(after).ToDictionary(a => a.Key, a => a.Value - b.GetValueOrDefault(a.Key));
    }

    [Fact]
    public async Task A_flood_of_bad_input_on_both_protocols_is_counted_and_leaves_the_host_healthy_and_alerting()
    {
        await _host.Register("sensor", "fz-mqtt-0");
        await _host.Register("sensor", "fz-mqtt-1");
        await _host.Register("sensor", "fz-hj");
        var hjPw = CommandCenterProcess.SecretOf("fz-hj");
        // Warm up both protocols once, so the first measurement is of a host that has loaded what it needs.
        await _host.PublishReading("fz-warm", 10, DateTimeOffset.UtcNow);
        using (var warm = new TcpClient())
        {
            await warm.ConnectAsync(IPAddress.Loopback, _host.Hj212Port);
            await warm.GetStream().WriteAsync(Frame(Packet("fz-hj", hjPw, "2011", DateTimeOffset.UtcNow.AddMinutes(-1), "a34004-Rtd=10,a34004-Flag=N")));
            Assert.NotNull(await ReadReply(warm.GetStream(), FloodReplyWait));
        }
        await Task.Delay(TimeSpan.FromSeconds(3));
        var residentBefore = _host.ResidentBytes();

        // MQTT: two devices on their own credentials and the trusted gateway user, each on its own connection.
        var start = await _host.Api.Stats();
        var mqtt = await Task.WhenAll(Enumerable.Range(0, MqttConnections).Select(i => FuzzMqtt(i)));
        var afterMqtt = await _host.Api.Stats();
        var mqttExpected = Sum(mqtt.Select(m => m.Expected));
        var mqttDelta = Delta(start, afterMqtt);
        var mqttSent = mqtt.Sum(m => m.Sent);
        Assert.True(mqttExpected.All(e => mqttDelta.GetValueOrDefault(e.Key) == e.Value) && mqttDelta.Values.Sum() == mqttSent,
            $"seed {Seed}: {mqttSent} MQTT inputs; expected rejections {Describe(mqttExpected)}, counted {Describe(mqttDelta)}");
        Assert.Equal(start.GetProperty("accepted").GetInt64(), afterMqtt.GetProperty("accepted").GetInt64());

        // HJ 212: several connections, bytes split across writes at random points, one of them a byte at a time for a while.
        var hj = await Task.WhenAll(Enumerable.Range(0, Hj212Connections).Select(i => FuzzHj212(i, hjPw)));
        var hjExpected = Sum(hj.Select(h => h.Expected));
        // Split packets never completed are counted when their connection closes.
        var afterHj = await Waiting.Until(() => _host.Api.Stats(),
            s => Reason(s, "split") - Reason(afterMqtt, "split") >= hjExpected.GetValueOrDefault("split"), TimeSpan.FromSeconds(30),
            $"counting the dropped split packets (seed {Seed})");
        var hjDelta = Delta(afterMqtt, afterHj);
        var hjSent = hj.Sum(h => h.Sent);
        Assert.True(hjExpected.All(e => e.Key == "frame" ? hjDelta.GetValueOrDefault(e.Key) >= e.Value : hjDelta.GetValueOrDefault(e.Key) == e.Value)
                    && hjDelta.Where(d => d.Value != 0).All(d => hjExpected.ContainsKey(d.Key)),
            $"seed {Seed}: {hjSent} HJ 212 inputs; expected rejections {Describe(hjExpected)} (frame at least), counted {Describe(hjDelta)}");
        // The only frames taken were the one valid frame closing each connection, sent to know the host has read everything.
        Assert.Equal(Hj212Connections, afterHj.GetProperty("accepted").GetInt64() - afterMqtt.GetProperty("accepted").GetInt64());
        Assert.Equal(start.GetProperty("failed").GetInt64(), afterHj.GetProperty("failed").GetInt64());
        Assert.True(mqttSent + hjSent >= 100_000, $"only {mqttSent} + {hjSent} inputs sent");

        // Still up, and still doing its job on both protocols.
        Assert.Equal("Healthy", HealthReport.Status(await _host.Api.GetStringAsync("/health")));
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        for (var i = 0; i < 3; i++) await _host.PublishReading("fz-alert-mqtt", 120 + i, now.AddSeconds(10 * i));
        Assert.NotNull(await _host.Api.AlertOf("fz-alert-mqtt", "exceed-a34004"));
        await _host.Register("sensor", "fz-alert-hj");
        using (var monitor = new TcpClient())
        {
            await monitor.ConnectAsync(IPAddress.Loopback, _host.Hj212Port);
            for (var i = 0; i < 3; i++)
            {
                await monitor.GetStream().WriteAsync(Frame(Packet("fz-alert-hj", CommandCenterProcess.SecretOf("fz-alert-hj"), "2011",
                    now.AddSeconds(10 * i), $"a34004-Rtd={130 + i},a34004-Flag=N")));
                Assert.NotNull(await ReadReply(monitor.GetStream(), FloodReplyWait));
            }
        }
        Assert.NotNull(await _host.Api.AlertOf("fz-alert-hj", "exceed-a34004"));

        // The flood leaves nothing lasting behind once the runtime has had a moment to collect.
        await Task.Delay(TimeSpan.FromSeconds(10));
        var residentAfter = _host.ResidentBytes();
        Assert.True(residentAfter - residentBefore < 150L * 1024 * 1024,
            $"seed {Seed}: resident memory grew from {residentBefore / 1048576} MB to {residentAfter / 1048576} MB");
        Console.WriteLine($"fuzz seed {Seed}: MQTT {mqttSent} inputs ({Describe(mqttDelta)}), HJ 212 {hjSent} inputs ({Describe(hjDelta)}), " +
                          $"resident {residentBefore / 1048576} MB before, {residentAfter / 1048576} MB after");
    }

    private static Dictionary<string, long> Sum(IEnumerable<Dictionary<string, long>> counts)
    {
        var sum = new Dictionary<string, long>();
        foreach (var count in counts)
        foreach (var (reason, n) in count)
            sum[reason] = sum.GetValueOrDefault(reason) + n;
        return sum;
    }

    // ---------------------------------------------------------------- MQTT

    private sealed record MqttInput(string Topic, byte[] Payload, string Reason);

    private async Task<(int Sent, Dictionary<string, long> Expected)> FuzzMqtt(int connection)
    {
        var random = new Random(Seed + connection);
        var asDevice = connection < MqttConnections - 1;
        var (user, password) = asDevice
            ? ($"fz-mqtt-{connection}", CommandCenterProcess.SecretOf($"fz-mqtt-{connection}"))
            : (CommandCenterProcess.GatewayUser, CommandCenterProcess.GatewayPassword);
        var expected = new Dictionary<string, long>();
        var client = await ConnectMqtt(user, password, $"fz-{connection}");
        try
        {
            for (var sent = 0; sent < MqttInputsPerConnection; sent++)
            {
                var input = NextMqtt(random, asDevice, user);
                expected[input.Reason] = expected.GetValueOrDefault(input.Reason) + 1;
                if (input.Reason == "oversized")
                {
                    // Everything before it has been read once a QoS 1 publish is answered; then the connection is closed on us.
                    await client.PublishAsync(Message(input with { Payload = [] }, MqttQualityOfServiceLevel.AtLeastOnce));
                    expected["json"] = expected.GetValueOrDefault("json") + 1;
                    sent++;
                    try
                    {
                        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
                        await client.PublishAsync(Message(input, MqttQualityOfServiceLevel.AtLeastOnce), timeout.Token);
                    }
                    catch (Exception) { }
                    client.Dispose();
                    client = await ConnectMqtt(user, password, $"fz-{connection}");
                    continue;
                }
                // QoS 0 mostly; now and then QoS 1, which also keeps the client from outrunning the broker.
                var qos = random.Next(50) == 0 ? MqttQualityOfServiceLevel.AtLeastOnce : MqttQualityOfServiceLevel.AtMostOnce;
                await client.PublishAsync(Message(input, qos));
            }
            // The broker reads one connection in order: once this is answered, everything before it has been counted.
            await client.PublishAsync(Message(new MqttInput($"cc/sensor/{(asDevice ? user : "fz-any")}/telemetry", [], "json"), MqttQualityOfServiceLevel.AtLeastOnce));
            expected["json"] = expected.GetValueOrDefault("json") + 1;
            return (MqttInputsPerConnection + 1, expected);
        }
        finally
        {
            client.Dispose();
        }
    }

    private static MqttApplicationMessage Message(MqttInput input, MqttQualityOfServiceLevel qos) =>
        new MqttApplicationMessageBuilder().WithTopic(input.Topic).WithPayload(input.Payload).WithQualityOfServiceLevel(qos).Build();

    private async Task<IMqttClient> ConnectMqtt(string user, string password, string clientId)
    {
        var client = new MqttClientFactory().CreateMqttClient();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await client.ConnectAsync(new MqttClientOptionsBuilder()
            .WithTcpServer("127.0.0.1", _host.MqttPort)
            .WithClientId(clientId)
            .WithCredentials(user, password)
            .WithTimeout(TimeSpan.FromSeconds(30))
            .Build(), timeout.Token);
        return client;
    }

    private static readonly string[] Channels = ["telemetry", "status", "event"];

    /// <summary>One bad MQTT input and the reason the gateway must give for it.</summary>
    private static MqttInput NextMqtt(Random random, bool asDevice, string device)
    {
        var id = asDevice ? device : $"fz-any-{random.Next(8)}";
        var own = $"cc/sensor/{id}";
        var now = DateTimeOffset.UtcNow;
        var ts = now.ToString("O");
        string Valid() => $$"""{"ts":"{{ts}}","values":{"a34004":{{random.Next(0, 500)}}.5,"a21026":18.5},"lat":36.5478,"lon":104.1731}""";
        MqttInput Json(string topic, string payload, string reason) => new(topic, Encoding.UTF8.GetBytes(payload), reason);

        switch (random.Next(24))
        {
            case 0: return Json($"{own}/telemetry", "{\"ts\":" + new string('{', random.Next(0, 5)) + "\"x", "json");
            case 1:
            {
                var valid = Valid();
                return Json($"{own}/{Channels[random.Next(3)]}", valid[..random.Next(valid.Length)], "json");
            }
            case 2: return Json($"{own}/telemetry", new string('[', random.Next(65, 10_001)), "json");
            case 3: return Json($"{own}/telemetry", $$"""{"ts":"{{ts}}","values":{"a34004":{{random.Next(1, 9)}}e{{random.Next(309, 5000)}}}""" + "}", "field");
            case 4: return Json($"{own}/telemetry", $$"""{"ts":"{{ts}}","values":{"a34004":{{new[] { "NaN", "Infinity", "-Infinity" }[random.Next(3)]}}}""" + "}", "json");
            case 5: return Json($"{own}/telemetry", $$"""{"ts":"{{ts}}","values":{"a34004":-{{random.Next(1, 1000)}}.{{random.Next(10)}}}""" + "}", "field");
            case 6: return Json($"{own}/telemetry", $$"""{"ts":"{{ts}}","values":{"a34004":5},"lat":{{90 + random.Next(1, 1000)}},"lon":104.1}""", "field");
            case 7:
            {
                var wrong = new[] { "\"12\"", "[1]", "{}", "true", "null" }[random.Next(5)];
                return Json($"{own}/telemetry", $$"""{"ts":"{{ts}}","values":{"a34004":{{wrong}}}""" + "}", "field");
            }
            case 8: return Json($"{own}/telemetry", $$"""{"ts":{{random.Next()}},"values":{"a34004":5}""" + "}", "timestamp");
            case 9: return Json($"{own}/telemetry", $$"""{"ts":"{{ts}}","unknown":{{random.Next()}},"extra":"x","values":"none"}""", "field");
            case 10:
                return Json($"{own}/event", $$"""{"ts":"{{ts}}","type":"smoke","text":"{{new string('x', random.Next(501, 60_000))}}"}""", "field");
            case 11:
            {
                // Invalid UTF-8 inside a string.
                var bytes = Encoding.UTF8.GetBytes($$"""{"ts":"{{ts}}","type":"smoke","text":"ab__cd"}""");
                var at = Array.IndexOf(bytes, (byte)'_');
                bytes[at] = (byte)new[] { 0xFF, 0xC0, 0xE2, 0x80 }[random.Next(4)];
                bytes[at + 1] = (byte)new[] { 0xFE, 0x28, 0xC3 }[random.Next(3)];
                return new($"{own}/event", bytes, "json");
            }
            case 12:
            {
                var bytes = new byte[random.Next(1, 300)];
                random.NextBytes(bytes);
                if (bytes[0] is (byte)'{' or (byte)'[' or (byte)'"') bytes[0] = 0;
                return new($"{own}/{Channels[random.Next(3)]}", bytes, "json");
            }
            case 13: return new($"{own}/{Channels[random.Next(3)]}", [], "json");
            case 14:
            {
                var topic = new[] { "cc/sensor", $"{own}", $"{own}/telemetry/extra", "cc", "cc//x/telemetry" }[random.Next(5)];
                var reason = (asDevice, topic) switch
                {
                    (true, _) when topic.StartsWith(own + "/") => "topic",
                    (true, _) => "acl",
                    (false, "cc") => "acl",
                    (false, "cc//x/telemetry") => "kind",
                    _ => "topic",
                };
                return Json(topic, Valid(), reason);
            }
            case 15:
                return asDevice
                    ? Json($"cc/sensor/fz-other-{random.Next(100)}/telemetry", Valid(), "acl")
                    : Json($"cc/{new[] { "robot", "drone", "sensors" }[random.Next(3)]}/{id}/telemetry", Valid(), "kind");
            case 16:
                return asDevice
                    ? Json($"cc/handheld/{id}/telemetry", Valid(), "acl")
                    : Json($"cc/sensor/{new[] { "bad id", "a/b", "x!", new string('d', 65), "\u4e2d\u6587" }[random.Next(5)].Replace("/", "\\")}/telemetry", Valid(), "deviceid");
            case 17: return Json($"{own}/{new[] { "video", "cmd", "Telemetry", "x" }[random.Next(4)]}", Valid(), "channel");
            case 18:
            {
                var type = new[] { "offline", "stream-lost", "exceed-a34004", $"exceed-{random.Next()}" }[random.Next(4)];
                return Json($"{own}/event", $$"""{"ts":"{{ts}}","type":"{{type}}","severity":"critical"}""", "reserved");
            }
            case 19:
            {
                var far = new[]
                {
                    "9999-12-31T23:59:59Z", "0001-01-01T00:00:00+14:00", "1970-01-01T00:00:00Z", now.AddHours(1).ToString("O"),
                    now.AddDays(-2).ToString("O"), "2026-11-30T08:00:00", "yesterday", "",
                }[random.Next(8)];
                return Json($"{own}/telemetry", $$"""{"ts":"{{far}}","values":{"a34004":5}""" + "}", "timestamp");
            }
            case 20:
            {
                var codes = string.Join(',', Enumerable.Range(0, 65 + random.Next(200)).Select(i => $"\"a{i:D5}\":{i}"));
                return Json($"{own}/telemetry", $$"""{"ts":"{{ts}}","values":{{{codes}}}""" + "}", "limit");
            }
            case 21: return Json($"{own}/telemetry", $$"""{"ts":"{{ts}}","values":{"a34004":5,"a34004":6}""" + "}", "field");
            case 22: return Json($"{own}/status", $$"""{"ts":"{{ts}}","online":"{{new[] { "yes", "true", "1" }[random.Next(3)]}}"}""", "field");
            default:
                // Rarely: a packet just over Gateway:MaxPayloadBytes.
                if (random.Next(150) != 0)
                    return Json($"{own}/event", $$"""{"ts":"{{ts}}","type":"{{new[] { "SOS", "a b", "", new string('e', 33) }[random.Next(4)]}}"}""", "field");
                return new($"{own}/telemetry", new byte[MaxPayloadBytes + 1 + random.Next(64)], "oversized");
        }
    }

    // ---------------------------------------------------------------- HJ 212

    /// <summary>Bytes that are neither '#', a digit nor CR: they can neither start a frame, make a length nor end one.</summary>
    private static byte[] Filler(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        for (var i = 0; i < length; i++)
            if (bytes[i] is (byte)'#' or (byte)'\r' or >= (byte)'0' and <= (byte)'9') bytes[i] = (byte)'x';
        return bytes;
    }

    private async Task<(int Sent, Dictionary<string, long> Expected)> FuzzHj212(int connection, string pw)
    {
        var random = new Random(Seed * 31 + connection);
        var expected = new Dictionary<string, long> { ["frame"] = 0 };
        var stream = new MemoryStream();
        for (var i = 0; i < Hj212InputsPerConnection; i++)
        {
            var (bytes, reason) = NextHj212(random, pw, connection, i);
            stream.Write(bytes);
            var (counted, times) = reason == "split2" ? ("split", 2) : (reason, 1);
            expected[counted] = expected.GetValueOrDefault(counted) + times;
        }
        var now = DateTimeOffset.UtcNow.AddMinutes(-1);
        stream.Write(Frame(Packet("fz-hj", pw, "2011", now, "a34004-Rtd=10,a34004-Flag=N")));
        var all = stream.ToArray();

        using var client = new TcpClient { NoDelay = true };
        await client.ConnectAsync(IPAddress.Loopback, _host.Hj212Port);
        var network = client.GetStream();
        var at = 0;
        // The first connection starts a byte at a time for a while.
        if (connection == 0)
            for (; at < 3000; at++) await network.WriteAsync(all.AsMemory(at, 1));
        while (at < all.Length)
        {
            var size = Math.Min(all.Length - at, random.Next(1, 4097));
            await network.WriteAsync(all.AsMemory(at, size));
            at += size;
        }
        Assert.True(await ReadReply(network, FloodReplyWait) is not null, $"seed {Seed}: no reply on HJ 212 connection {connection} after the flood");
        return (Hj212InputsPerConnection, expected);
    }

    /// <summary>One bad HJ 212 input (bytes as they go on the wire) and the reason the gateway must give for it.</summary>
    private static (byte[] Bytes, string Reason) NextHj212(Random random, string pw, int connection, int index)
    {
        var at = DateTimeOffset.UtcNow.AddMinutes(-1).AddMilliseconds(index);
        var cp = $"a34004-Rtd={random.Next(0, 300)}.{random.Next(10)},a34004-Flag=N";
        byte[] Ok(string data) => Frame(data);
        switch (random.Next(16))
        {
            case 0: return (Filler(random, random.Next(1, 200)), "frame");
            case 1:
            {
                // A length that is not four digits, or one shorter than the data; the reader looks for the next "##".
                var data = Packet("fz-hj", pw, "2011", at, cp);
                var length = random.Next(2) == 0 ? new[] { "12a4", "-001", "    ", "0x10", "\0\0\0\0" }[random.Next(5)] : random.Next(0, data.Length - 2).ToString("D4");
                return (Encoding.ASCII.GetBytes($"##{length}{data}{Crc(Encoding.ASCII.GetBytes(data)):X4}\r\n"), "frame");
            }
            case 2: return (Frame(Packet("fz-hj", pw, "2011", at, cp), corruptCrc: true), "crc");
            case 3:
            {
                // Cut short, then filler longer than any frame: what the length promised never comes.
                var frame = Ok(Packet("fz-hj", pw, "2011", at, cp));
                return ([.. frame.AsSpan(0, random.Next(2, frame.Length - 2)), .. Filler(random, MaxDataLength + 12)], "frame");
            }
            case 4: return (Ok(Packet("fz-hj", "wrong-pw-of-fz-hj-0123456789", "2011", at, cp)), "auth");
            case 5: return (Ok(Packet($"fz-unknown-{random.Next(1000)}", pw, "2011", at, cp)), "auth");
            case 6:
            {
                var data = Packet("fz-hj", pw, "2011", at, cp);
                var field = new[] { "QN=", "ST=", "CN=", "PW=", "MN=" }[random.Next(5)];
                var start = data.IndexOf(field, StringComparison.Ordinal);
                var end = data.IndexOf(';', start);
                return (Ok(data.Remove(start, end - start + 1)), "field");
            }
            case 7:
            {
                var bad = new[]
                {
                    "a34004-Rtd=abc", "a34004-Rtd=1e400", "a34004-Rtd=NaN", "a34004-Flag=Z", "zz-Rtd=1", "a34004Rtd", "=5",
                    "a34004-Rtd=1,a34004-Rtd=2", "a3400-Rtd=1", "a34004-Rtd=" + new string('9', 400),
                }[random.Next(10)];
                return (Ok(Packet("fz-hj", pw, "2011", at, bad)), "field");
            }
            case 8: return (Ok(Packet("fz-hj", pw, new[] { "9999", "2011x", "1011", "3020" }[random.Next(4)], at, cp)), "field");
            case 9:
            {
                var far = new[] { "00010101000000", "99991231235959", "19700101000000", "20991231000000", DataTime(at.AddHours(1)), DataTime(at.AddDays(-2)) }[random.Next(6)];
                return (Ok(Packet("fz-hj", pw, "2011", at, cp, dataTime: far)), "timestamp");
            }
            case 10: return (Ok(Packet("fz-hj", pw, "2011", at, "a34004-Rtd=1", dataTime: new[] { "2026", "20261340000000", "x", "" }[random.Next(4)])), "field");
            case 11:
            {
                var codes = string.Join(';', Enumerable.Range(0, 65).Select(i => $"a{i:D5}-Rtd=1"));
                return (Ok(Packet("fz-hj", pw, "2011", at, codes)), "field");
            }
            case 12: return (Ok(Packet("fz-hj", pw, "2011", at, cp, flag: 7, split: $"PNUM={17 + random.Next(100)};PNO=1;")), "limit");
            case 13:
            {
                // The first part of a split packet whose other parts never come: pushed out by later ones or dropped at close.
                // Now and then its first part comes again announcing another PNUM: the packet starts over, one more dropped.
                string Part(int count) => $"QN=fz{connection}-{index};ST=22;CN=2011;PW={pw};MN=fz-hj;Flag=6;PNUM={count};PNO=1;CP=&&DataTime={DataTime(at)};{cp}&&";
                return random.Next(4) == 0 ? ([.. Ok(Part(2)), .. Ok(Part(3))], "split2") : (Ok(Part(2)), "split");
            }
            case 14:
            {
                // Over the maximum: refused unread; what follows is skipped as bytes outside a frame.
                var length = random.Next(MaxDataLength + 1, 10_000);
                return ([.. Encoding.ASCII.GetBytes($"##{length:D4}"), .. Filler(random, random.Next(0, 2000))], "oversized");
            }
            default: return (Ok(Packet("fz-hj", pw, "2011", at, "a34004-Rtd=5", flag: 5, split: "PNUM=2;")), "field");
        }
    }
}
