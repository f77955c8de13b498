using CommandCenter.Grains.History;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// The sensor page's chart in Debian's chromium (docs/performance.md, "Sensor charts"): a week of minute data (10,080
/// points) asked for, answered from the embedded history store and drawn by uPlot, beside the last hour (a handful of
/// readings) on the same page in the same run. Runs only when <c>CHART_BENCH</c> names the number of rounds.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class ChartBenchmark(ITestOutputHelper output)
{
    [BenchmarkFact("CHART_BENCH")]
    public async Task A_week_of_minute_data_drawn_beside_the_last_hour()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("CHART_BENCH"), out var n) && n > 0 ? n : 10;
        const string sensor = "bench-chart";
        var now = DateTimeOffset.UtcNow;
        var start = DateTimeOffset.FromUnixTimeSeconds(now.ToUnixTimeSeconds() / 60 * 60).AddDays(-7);
        var week = Enumerable.Range(0, 7 * 24 * 60).Select(i =>
            new HistoryPoint(sensor, "a34004", start.AddMinutes(i), 30 + 40 * Math.Sin(i / 300.0) + i % 7, "N", HistoryPoint.RealTime)).ToList();
        var dataDirectory = Directory.CreateTempSubdirectory("chart-bench-").FullName;
        using (var store = new SqliteHistoryStore(Options.Create(new HistoryOptions()),
                   Options.Create(new StorageOptions { DataDirectory = dataDirectory }), TimeProvider.System))
            foreach (var batch in week.Chunk(5000)) await store.WriteAsync(batch, CancellationToken.None);

        await using var host = new CommandCenterProcess(dataDirectory);
        await host.Start();
        await using var browser = await Browser.Launch();
        // One live reading so the page knows the sensor's pollutants.
        await host.PublishReading(sensor, 42, DateTimeOffset.UtcNow);
        var page = await browser.SignIn(host.BaseAddress, "operator", "Operator#2026");
        await page.GotoAsync($"/sensors/{sensor}");
        var chart = page.Locator(".sensor-chart .chart[data-pollutant='a34004']");
        await Expect(chart).ToHaveAttributeAsync("data-state", "drawn", new() { Timeout = 30_000 });

        var hour = new List<(double Draw, double Total)>();
        var weekly = new List<(double Draw, double Total)>();
        int points = 0, hourPoints = 0;
        for (var round = 0; round < rounds + 1; round++)
        {
            var h = await Round(page, chart, "hour");
            hourPoints = int.Parse((await chart.GetAttributeAsync("data-points"))!);
            var w = await Round(page, chart, "week");
            points = int.Parse((await chart.GetAttributeAsync("data-points"))!);
            if (round == 0) continue; // the first round warms the browser's JIT and the host's caches
            hour.Add(h);
            weekly.Add(w);
        }
        Assert.InRange(points, 10_000, 10_081);
        string Line(string what, int count, List<(double Draw, double Total)> times) =>
            $"| {what} | {count:N0} | {Percentiles.Of(times.Select(t => t.Draw), 50):0.0} | {Percentiles.Of(times.Select(t => t.Draw), 99):0.0} | " +
            $"{Percentiles.Of(times.Select(t => t.Total), 50):0.0} | {Percentiles.Of(times.Select(t => t.Total), 99):0.0} |";
        output.WriteLine("| Chart | Points | draw p50 ms | draw p99 ms | asked + answered + drawn p50 ms | p99 ms |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        output.WriteLine(Line("last hour, raw (baseline)", hourPoints, hour));
        output.WriteLine(Line("last week, `step=1m`", points, weekly));
        output.WriteLine($"week ÷ hour, p50: draw {Percentiles.Of(weekly.Select(t => t.Draw), 50) / Percentiles.Of(hour.Select(t => t.Draw), 50):0.0}×, " +
                         $"total {Percentiles.Of(weekly.Select(t => t.Total), 50) / Percentiles.Of(hour.Select(t => t.Total), 50):0.0}×");
    }

    private static async Task<(double Draw, double Total)> Round(IPage page, ILocator chart, string range)
    {
        await chart.EvaluateAsync("c => c.dataset.state = 'waiting'");
        await page.ClickAsync($"button.range[data-range='{range}']");
        await Expect(chart).ToHaveAttributeAsync("data-state", "drawn", new() { Timeout = 30_000 });
        var draw = double.Parse((await chart.GetAttributeAsync("data-draw-ms"))!, System.Globalization.CultureInfo.InvariantCulture);
        var total = double.Parse((await chart.GetAttributeAsync("data-total-ms"))!, System.Globalization.CultureInfo.InvariantCulture);
        return (draw, total);
    }
}
