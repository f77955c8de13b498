using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using System.Text.Json;
using static CommandCenter.Web.Tests.Hj212Frames;

namespace CommandCenter.Web.Tests;

public static class HistoryApi
{
    public static string Time(DateTimeOffset at) => Uri.EscapeDataString(at.UtcDateTime.ToString("O"));

    public static async Task<(HttpStatusCode Status, JsonElement Body)> History(this HttpClient api, string sensor, string query)
    {
        using var response = await api.GetAsync($"/api/sensors/{sensor}/history?{query}");
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone());
    }

    public static List<(DateTimeOffset Ts, double Value, string? Flag)> Points(JsonElement body) =>
        body.GetProperty("points").EnumerateArray().Select(p => (p.GetProperty("ts").GetDateTimeOffset(), p.GetProperty("value").GetDouble(),
            p.TryGetProperty("flag", out var flag) ? flag.GetString() : null)).ToList();

    public static async Task<JsonElement> HistoryStats(this HttpClient api) =>
        (await api.GetFromJsonAsync<JsonElement>("/api/history/stats")).GetProperty("writer");

    /// <summary>
    /// Three readings over two minutes and a fourth sent last but measured before the third: all four come back at
    /// their own times, and a 1-minute step averages each minute.
    /// </summary>
    public static async Task ReadingsComeBackRawAndAveraged(CommandCenterProcess host, string sensor, Func<Task> beforeReading)
    {
        var now = DateTimeOffset.UtcNow;
        var minute = new DateTimeOffset(now.Ticks - now.Ticks % TimeSpan.TicksPerMinute, TimeSpan.Zero).AddMinutes(-10);
        await host.PublishReading(sensor, 40, minute.AddSeconds(10));
        await host.PublishReading(sensor, 60, minute.AddSeconds(20));
        await host.PublishReading(sensor, 100, minute.AddSeconds(70));
        await host.PublishReading(sensor, 80, minute.AddSeconds(30));
        var range = $"pollutant=a34004&from={Time(minute)}&to={Time(minute.AddMinutes(2))}";
        var (status, body) = await Waiting.Until(async () =>
        {
            await beforeReading();
            return await host.Api.History(sensor, range);
        }, r => r.Status == HttpStatusCode.OK && r.Body.GetProperty("points").GetArrayLength() == 4, TimeSpan.FromSeconds(30), "four readings in history");
        Assert.Equal("a34004", body.GetProperty("pollutant").GetString());
        Assert.Equal("µg/m³", body.GetProperty("unit").GetString());
        Assert.Equal(75, body.GetProperty("limit").GetDouble());
        Assert.Equal([(minute.AddSeconds(10), 40.0, (string?)null), (minute.AddSeconds(20), 60, null), (minute.AddSeconds(30), 80, null),
            (minute.AddSeconds(70), 100, null)], Points(body));

        (status, body) = await host.Api.History(sensor, range + "&step=1m");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(60, body.GetProperty("step").GetDouble());
        Assert.Equal([(minute, 60.0, (string?)null), (minute.AddMinutes(1), 100, null)], Points(body));
    }
}

/// <summary>History in the embedded store (no History:Url), on the shared host.</summary>
[Collection(SharedHost.Name)]
public sealed class EmbeddedHistoryTests(HostFixture fixture)
{
    private CommandCenterProcess Host => fixture.Host;

    [Fact]
    public Task Mqtt_readings_come_back_at_their_own_times_late_ones_too_and_averaged_by_step() =>
        HistoryApi.ReadingsComeBackRawAndAveraged(Host, "history-embedded", () => Task.CompletedTask);

    [Fact]
    public async Task Hj212_backfill_keeps_its_time_and_flags_and_minute_data_are_kept_as_their_period()
    {
        const string mn = "history-hj212";
        var pw = $"{mn}-hj212-secret-0001";
        (await Host.Api.PutAsync($"/api/devices/sensor/{mn}", JsonContent.Create(new { secret = pw }))).EnsureSuccessStatusCode();
        using var client = new TcpClient();
        await client.ConnectAsync(IPAddress.Loopback, Host.Hj212Port);
        var stream = client.GetStream();
        var hour = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600).AddHours(-3);
        async Task Send(string cn, DateTimeOffset at, string cp)
        {
            await stream.WriteAsync(Frame(Packet(mn, pw, cn, at, cp)));
            Assert.NotNull(await ReadReply(stream));
        }
        await Send("2011", hour.AddMinutes(50), "a34004-Rtd=20.0,a34004-Flag=N");
        // Backfill from before the newest reading: one under maintenance, one normal.
        await Send("2011", hour.AddMinutes(10), "a34004-Rtd=500.0,a34004-Flag=M");
        await Send("2011", hour.AddMinutes(20), "a34004-Rtd=30.0,a34004-Flag=N");
        await Send("2051", hour.AddMinutes(1), "a34004-Avg=31.5,a34004-Min=30.0,a34004-Max=33.0,a34004-Flag=N");

        var range = $"pollutant=a34004&from={Time(hour)}&to={Time(hour.AddHours(1))}";
        // Written within History:FlushInterval of the reply.
        var (_, body) = await Waiting.Until(() => Host.Api.History(mn, range),
            r => r.Status == HttpStatusCode.OK && r.Body.GetProperty("points").GetArrayLength() == 3, TimeSpan.FromSeconds(10), "three readings in history");
        Assert.Equal([(hour.AddMinutes(10), 500.0, "M"), (hour.AddMinutes(20), 30, (string?)null), (hour.AddMinutes(50), 20, null)],
            HistoryApi.Points(body));
        // A value the monitor flags as not normal is shown, but not averaged.
        (_, body) = await Host.Api.History(mn, range + "&step=1h");
        Assert.Equal([(hour, 25.0, (string?)null)], HistoryApi.Points(body));
        (_, body) = await Waiting.Until(() => Host.Api.History(mn, range + "&period=minute"),
            r => r.Body.GetProperty("points").GetArrayLength() == 1, TimeSpan.FromSeconds(10), "the minute average in history");
        Assert.Equal("minute", body.GetProperty("period").GetString());
        Assert.Equal([(hour.AddMinutes(1), 31.5, (string?)null)], HistoryApi.Points(body));
    }

    private static string Time(DateTimeOffset at) => HistoryApi.Time(at);

    [Theory]
    [InlineData("pollutant=pm25", "pollutant")]
    [InlineData("", "pollutant")]
    [InlineData("pollutant=a34004&step=abc", "step")]
    [InlineData("pollutant=a34004&step=0s", "step")]
    [InlineData("pollutant=a34004&step=1s", "points")]
    [InlineData("pollutant=a34004&from=yesterday", "from")]
    [InlineData("pollutant=a34004&from=2026-12-01T10:00:00Z&to=2026-12-01T09:00:00Z", "before")]
    [InlineData("pollutant=a34004&from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z", "range")]
    [InlineData("pollutant=a34004&period=week", "period")]
    public async Task A_bad_query_is_a_problem_saying_what_is_wrong_and_is_counted(string query, string word)
    {
        await Host.PublishReading("history-bad-query", 10, DateTimeOffset.UtcNow);
        var before = (await Host.Api.GetFromJsonAsync<JsonElement>("/api/history/stats")).GetProperty("refusedQueries").GetInt64();
        using var response = await Host.Api.GetAsync($"/api/sensors/history-bad-query/history?{query}");
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(word, problem.GetProperty("detail").GetString());
        var after = (await Host.Api.GetFromJsonAsync<JsonElement>("/api/history/stats")).GetProperty("refusedQueries").GetInt64();
        Assert.True(after > before);
    }

    [Fact]
    public async Task An_unknown_sensor_is_404_a_stranger_401_and_a_signed_in_user_may_read()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Host.Api.History("history-nobody", "pollutant=a34004")).Status);
        await Host.PublishReading("history-readers", 10, DateTimeOffset.UtcNow.AddSeconds(-1));
        using var stranger = new HttpClient { BaseAddress = Host.BaseAddress };
        Assert.Equal(HttpStatusCode.Unauthorized, (await stranger.GetAsync("/api/sensors/history-readers/history?pollutant=a34004")).StatusCode);
        using var user = new FormClient(Host.BaseAddress);
        Assert.True(FormClient.SignedIn(await user.SignIn("operator", "Operator#2026")));
        var response = await Waiting.Until(async () =>
                await (await user.Get("/api/sensors/history-readers/history?pollutant=a34004")).Content.ReadFromJsonAsync<JsonElement>(),
            body => body.TryGetProperty("points", out var points) && points.GetArrayLength() == 1, TimeSpan.FromSeconds(10), "the reading readable when signed in");
        Assert.Equal(10, response.GetProperty("points")[0].GetProperty("value").GetDouble());
    }
}

/// <summary>History through InfluxDB.Client into a real victoria-metrics, each test with a host of its own.</summary>
[Collection(OwnHosts.Name)]
public sealed class VictoriaMetricsHistoryTests
{
    private static CommandCenterProcess HostWriting(string url, Dictionary<string, string>? more = null)
    {
        var settings = new Dictionary<string, string> { ["History__Url"] = url, ["History__RetryBackoffMax"] = "00:00:01" };
        foreach (var (key, value) in more ?? []) settings[key] = value;
        return new CommandCenterProcess(settings: settings);
    }

    [Fact]
    public async Task Mqtt_readings_go_through_victoria_metrics_and_come_back_late_ones_too_and_averaged_by_step()
    {
        await using var server = new VictoriaMetrics();
        await server.Start();
        await using var host = HostWriting(server.Url.ToString());
        await host.Start();
        await HistoryApi.ReadingsComeBackRawAndAveraged(host, "history-vm", server.ForceFlush);
        // What a Grafana user finds: the series pollution_value with the labels device, pollutant, period and flag.
        var exported = await server.Export("""pollution_value{device="history-vm",pollutant="a21026",period="rtd",flag="N"}""");
        Assert.Contains("18.5", exported);
        Assert.Equal("influx", (await host.Api.HistoryStats()).GetProperty("store").GetString());
    }

    [Fact]
    public async Task Readings_written_while_the_server_is_down_are_kept_and_written_when_it_returns()
    {
        await using var server = new VictoriaMetrics();
        await server.Start();
        await using var host = HostWriting(server.Url.ToString());
        await host.Start();
        await server.Stop();
        var at = DateTimeOffset.UtcNow.AddSeconds(-5);
        await host.PublishReading("history-vm-down", 42, at);
        var stats = await Waiting.Until(host.Api.HistoryStats, s => s.GetProperty("failedWrites").GetInt64() > 0,
            TimeSpan.FromSeconds(30), "a failed write counted");
        Assert.Equal(0, stats.GetProperty("written").GetInt64());
        Assert.Equal(2, stats.GetProperty("buffered").GetInt64());
        Assert.NotNull(stats.GetProperty("lastError").GetString());
        using (var unreadable = await host.Api.GetAsync("/api/sensors/history-vm-down/history?pollutant=a34004"))
        {
            Assert.Equal(HttpStatusCode.ServiceUnavailable, unreadable.StatusCode);
            Assert.Equal("application/problem+json", unreadable.Content.Headers.ContentType?.MediaType);
        }

        await server.Start();
        var (_, body) = await Waiting.Until(async () =>
        {
            await server.ForceFlush();
            return await host.Api.History("history-vm-down", $"pollutant=a34004&from={HistoryApi.Time(at.AddMinutes(-1))}");
        }, r => r.Status == HttpStatusCode.OK && r.Body.GetProperty("points").GetArrayLength() == 1, TimeSpan.FromSeconds(30), "the kept reading written");
        Assert.Equal(42, body.GetProperty("points")[0].GetProperty("value").GetDouble());
        stats = await host.Api.HistoryStats();
        Assert.Equal(2, stats.GetProperty("written").GetInt64());
        Assert.Equal(0, stats.GetProperty("overflowed").GetInt64());
    }

    [Fact]
    public async Task Points_that_find_the_buffer_full_are_counted_and_logged()
    {
        // Nothing listens on this port: every write fails and the buffer of two fills.
        await using var host = HostWriting($"http://127.0.0.1:{CommandCenterProcess.FreePort()}",
            new() { ["History__BatchSize"] = "1", ["History__BufferCapacity"] = "2" });
        await host.Start();
        var at = DateTimeOffset.UtcNow.AddSeconds(-10);
        for (var i = 0; i < 3; i++) await host.PublishReading("history-overflow", 10 + i, at.AddSeconds(i));
        var stats = await Waiting.Until(host.Api.HistoryStats, s => s.GetProperty("recorded").GetInt64() == 6,
            TimeSpan.FromSeconds(30), "six points recorded");
        Assert.Equal(0, stats.GetProperty("written").GetInt64());
        Assert.True(stats.GetProperty("overflowed").GetInt64() >= 3);
        Assert.Equal(6, stats.GetProperty("overflowed").GetInt64() + stats.GetProperty("buffered").GetInt64());
        await Waiting.Until(() => Task.FromResult(host.Log), log => log.Contains("history buffer of 2 points is full"), TimeSpan.FromSeconds(10), "the overflow logged");
    }
}

/// <summary>The embedded store's limits, on a host of its own with small ones.</summary>
[Collection(OwnHosts.Name)]
public sealed class HistoryLimitTests
{
    [Fact]
    public async Task Values_past_retention_are_deleted_and_a_raw_query_over_the_cap_is_refused_but_a_step_answers()
    {
        await using var host = new CommandCenterProcess(settings: new Dictionary<string, string>
        {
            ["History__RetentionDays"] = "1", ["History__MaxPoints"] = "3", ["Gateway__MaxClockBehind"] = "3.00:00:00",
        });
        await host.Start();
        var now = DateTimeOffset.UtcNow;
        // Ten whole minutes, the last ten before the current ones: one bucket of a 10-minute step.
        var tens = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 600 * 600).AddMinutes(-10);
        await host.PublishReading("history-limits", 5, now.AddDays(-2));
        for (var i = 1; i <= 4; i++) await host.PublishReading("history-limits", 10 * i, tens.AddMinutes(i));

        var recent = $"pollutant=a34004&from={HistoryApi.Time(tens)}&to={HistoryApi.Time(tens.AddMinutes(10))}";
        await Waiting.Until(host.Api.HistoryStats, s => s.GetProperty("written").GetInt64() == 10, TimeSpan.FromSeconds(10), "ten points written");
        var (status, body) = await host.Api.History("history-limits", recent);
        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains("More than 3 values", body.GetProperty("detail").GetString());
        (status, body) = await host.Api.History("history-limits", recent + "&step=10m");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([(tens, 25.0, (string?)null)], HistoryApi.Points(body));

        // Written, then deleted by the first pass of retention: it is older than a day.
        (status, body) = await host.Api.History("history-limits", $"pollutant=a34004&from={HistoryApi.Time(now.AddDays(-3))}&to={HistoryApi.Time(now.AddDays(-1))}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Empty(HistoryApi.Points(body));
    }

    [Fact]
    public async Task A_clean_shutdown_writes_what_waited_in_memory()
    {
        var dataDirectory = Directory.CreateTempSubdirectory("command-center-test-").FullName;
        // Nothing is written by time while the host runs: only the shutdown can write the reading.
        var settings = new Dictionary<string, string> { ["History__FlushInterval"] = "01:00:00" };
        var at = DateTimeOffset.FromUnixTimeMilliseconds(DateTimeOffset.UtcNow.AddSeconds(-30).ToUnixTimeMilliseconds());
        await using (var host = new CommandCenterProcess(dataDirectory, settings))
        {
            await host.Start();
            await host.PublishReading("history-shutdown", 33, at);
            var stats = await Waiting.Until(host.Api.HistoryStats, s => s.GetProperty("recorded").GetInt64() == 2, TimeSpan.FromSeconds(10), "the reading recorded");
            Assert.Equal(0, stats.GetProperty("written").GetInt64());
            await host.Stop();
        }
        await using var again = new CommandCenterProcess(dataDirectory, settings);
        await again.Start();
        var (status, body) = await again.Api.History("history-shutdown", $"pollutant=a34004&from={HistoryApi.Time(at.AddMinutes(-1))}");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal([(at, 33.0, (string?)null)], HistoryApi.Points(body));
    }
}
