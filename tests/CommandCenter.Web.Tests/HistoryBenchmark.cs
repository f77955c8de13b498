using System.Diagnostics;
using System.Net.Http.Json;
using CommandCenter.Grains.History;
using CommandCenter.Grains.Storage;
using InfluxDB.Client;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Xunit.Abstractions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// History figures (docs/performance.md, "History"): the history writer's write rate into victoria-metrics beside
/// InfluxDB.Client writing the same number of points in batches of the same size straight to the same server, in one
/// run; and a week of minute data of one sensor read through the API from each store, beside a trivial API request.
/// Runs only when <c>HISTORY_BENCH</c> names the number of rounds (3 is enough); <c>HISTORY_BENCH_POINTS</c> (default
/// 200,000) sizes each write round.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class HistoryBenchmark(ITestOutputHelper output)
{
    private const int BatchSize = 5000;
    /// <summary>A week ago, on the hour, so that a week holds 168 whole hours.</summary>
    private static readonly DateTimeOffset Start = DateTimeOffset.FromUnixTimeSeconds(DateTimeOffset.UtcNow.ToUnixTimeSeconds() / 3600 * 3600).AddDays(-7);

    /// <summary>100 sensors of two pollutants, a reading every 10 s: <paramref name="count"/> points.</summary>
    private static List<HistoryPoint> Points(string prefix, int count) =>
        Enumerable.Range(0, count).Select(i => new HistoryPoint($"{prefix}-{i % 100}", i % 200 < 100 ? "a34004" : "a21026",
            Start.AddSeconds(10 * (i / 200)), 20 + i % 97, "N", HistoryPoint.RealTime)).ToList();

    [BenchmarkFact("HISTORY_BENCH")]
    public async Task Writer_beside_the_raw_client_into_victoria_metrics()
    {
        var rounds = BenchmarkSettings.Int("HISTORY_BENCH", 3);
        var count = BenchmarkSettings.Int("HISTORY_BENCH_POINTS", 200_000);
        await using var server = new VictoriaMetrics();
        await server.Start();
        var options = Options.Create(new HistoryOptions { Url = server.Url.ToString(), BatchSize = BatchSize });
        using var client = new InfluxDBClient(server.Url.ToString());
        var raw = client.GetWriteApiAsync();
        async Task<double> Raw(int round)
        {
            var points = Points($"raw{round}", count);
            var clock = Stopwatch.StartNew();
            foreach (var batch in points.Chunk(BatchSize))
                await raw.WritePointsAsync(batch.Select(InfluxHistoryStore.ToPoint).ToList(), options.Value.Bucket, options.Value.Org);
            return count / clock.Elapsed.TotalSeconds;
        }
        async Task<double> Writer(int round)
        {
            using var store = new InfluxHistoryStore(options);
            var writer = new HistoryWriter(store, options, NullLogger<HistoryWriter>.Instance);
            await writer.StartAsync(CancellationToken.None);
            var points = Points($"writer{round}", count);
            var clock = Stopwatch.StartNew();
            foreach (var point in points) writer.Record(point);
            while (writer.Stats.Written < count) await Task.Delay(5);
            var rate = count / clock.Elapsed.TotalSeconds;
            await writer.DisposeAsync();
            Assert.Equal(0, writer.Stats.Overflowed);
            return rate;
        }
        var rawRates = new List<double>();
        var writerRates = new List<double>();
        // Round 0 warms both up (series created, JIT) and is not counted.
        for (var round = 0; round <= rounds; round++)
        {
            // Taking turns to go first, so that neither always meets the server just after the other's burst.
            double rawRate, writerRate;
            if (round % 2 == 0)
            {
                rawRate = await Raw(round);
                writerRate = await Writer(round);
            }
            else
            {
                writerRate = await Writer(round);
                rawRate = await Raw(round);
            }
            if (round == 0) continue;
            rawRates.Add(rawRate);
            writerRates.Add(writerRate);
            output.WriteLine($"round {round}: raw {rawRate:0} points/s, writer {writerRate:0} points/s, {writerRate / rawRate:P0}");
        }
        // Each round's writer against the raw client of the same round, which met the same load on a shared machine.
        var ratios = writerRates.Zip(rawRates, (writer, raw) => writer / raw).ToList();
        output.WriteLine($"| Writer | Points per round | Rounds | Points/s (median) | Of the raw client, same round (median, lowest) |");
        output.WriteLine($"|---|---:|---:|---:|---:|");
        output.WriteLine($"| InfluxDB.Client `WritePointsAsync`, batches of {BatchSize} (baseline) | {count:N0} | {rounds} | {Percentiles.Of(rawRates, 50):N0} | 100 % |");
        output.WriteLine($"| History writer (`Record`, batches of {BatchSize}) | {count:N0} | {rounds} | {Percentiles.Of(writerRates, 50):N0} | " +
                         $"{Percentiles.Of(ratios, 50) * 100:0} %, {ratios.Min() * 100:0} % |");
    }

    [BenchmarkFact("HISTORY_BENCH")]
    public async Task A_week_of_minute_data_through_the_api_from_each_store()
    {
        var requests = BenchmarkSettings.Int("HISTORY_BENCH", 3) * 10;
        const string sensor = "bench-week";
        var week = Enumerable.Range(0, 7 * 24 * 60).Select(i =>
            new HistoryPoint(sensor, "a34004", Start.AddMinutes(i), 30 + i % 50, "N", HistoryPoint.RealTime)).ToList();
        var lines = new List<string>();

        // The embedded store: the week written into the host's history file before it starts.
        var dataDirectory = Directory.CreateTempSubdirectory("history-bench-").FullName;
        using (var store = new SqliteHistoryStore(Options.Create(new HistoryOptions()),
                   Options.Create(new StorageOptions { DataDirectory = dataDirectory }), TimeProvider.System))
        {
            foreach (var batch in week.Chunk(BatchSize)) await store.WriteAsync(batch, CancellationToken.None);
            var query = new HistoryQuery(sensor, "a34004", HistoryPoint.RealTime, Start.AddMinutes(-1), Start.AddDays(7), null, 20_000);
            var times = new List<double>();
            for (var i = -2; i < requests; i++)
            {
                var clock = Stopwatch.StartNew();
                Assert.Equal(week.Count, (await store.QueryAsync(query, CancellationToken.None)).Count);
                if (i >= 0) times.Add(clock.Elapsed.TotalMilliseconds);
            }
            output.WriteLine($"embedded store alone, a week raw: p50 {Percentiles.Of(times, 50):0.0} ms, p99 {Percentiles.Of(times, 99):0.0} ms");
        }
        await using (var host = new CommandCenterProcess(dataDirectory))
        {
            await host.Start();
            lines.AddRange(await Measure(host, "embedded (SQLite)", sensor, requests, week.Count));
        }

        await using var server = new VictoriaMetrics();
        await server.Start();
        using (var store = new InfluxHistoryStore(Options.Create(new HistoryOptions { Url = server.Url.ToString() })))
            foreach (var batch in week.Chunk(BatchSize)) await store.WriteAsync(batch, CancellationToken.None);
        await server.ForceFlush();
        await using (var host = new CommandCenterProcess(settings: new Dictionary<string, string> { ["History__Url"] = server.Url.ToString() }))
        {
            await host.Start();
            lines.AddRange(await Measure(host, "victoria-metrics", sensor, requests, week.Count));
        }
        output.WriteLine("| Store | Request | Points | p50 ms | p99 ms | p50 of the baseline request |");
        output.WriteLine("|---|---|---:|---:|---:|---:|");
        foreach (var line in lines) output.WriteLine(line);
    }

    private static async Task<List<string>> Measure(CommandCenterProcess host, string store, string sensor, int requests, int expected)
    {
        await host.Register("sensor", sensor);
        var range = $"pollutant=a34004&from={HistoryApi.Time(Start.AddMinutes(-1))}&to={HistoryApi.Time(Start.AddDays(7))}";
        var baseline = await Time(host, "/api/devices/counts", requests, _ => { });
        var raw = await Time(host, $"/api/sensors/{sensor}/history?{range}", requests,
            body => Assert.Equal(expected, body.GetProperty("points").GetArrayLength()));
        var hourly = await Time(host, $"/api/sensors/{sensor}/history?{range}&step=1h", requests,
            body => Assert.Equal(expected / 60, body.GetProperty("points").GetArrayLength()));
        string Line(string request, int points, List<double> times) =>
            $"| {store} | {request} | {points:N0} | {Percentiles.Of(times, 50):0.0} | {Percentiles.Of(times, 99):0.0} | {Percentiles.Of(times, 50) / Percentiles.Of(baseline, 50):0.0}× |";
        return [Line("`GET /api/devices/counts` (baseline)", 0, baseline), Line("a week, raw", expected, raw), Line("a week, `step=1h`", expected / 60, hourly)];
    }

    /// <summary>Milliseconds of each request, after two that warm up; <paramref name="check"/> looks at each answer.</summary>
    private static async Task<List<double>> Time(CommandCenterProcess host, string path, int requests, Action<System.Text.Json.JsonElement> check)
    {
        var times = new List<double>();
        for (var i = -2; i < requests; i++)
        {
            var clock = Stopwatch.StartNew();
            using var response = await host.Api.GetAsync(path);
            var body = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
            var elapsed = clock.Elapsed.TotalMilliseconds;
            response.EnsureSuccessStatusCode();
            check(body);
            if (i >= 0) times.Add(elapsed);
        }
        return times;
    }
}
