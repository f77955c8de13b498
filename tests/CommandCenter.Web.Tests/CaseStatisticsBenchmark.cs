using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json;
using CommandCenter.Simulators.Cases;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// Statistics and the case list over a year of generated cases (docs/performance.md, "Case statistics"): the real host
/// on 1,000,000 cases beside the same requests on 10,000 (the baseline), in the same run. Runs only when
/// <c>CASE_STATS_BENCH</c> names the rounds. <c>CASE_STATS_BENCH_DATA</c> may name a data directory already filled by
/// <c>Simulators --generate-cases 1000000 --data DIR</c> (generating a million takes minutes); otherwise it is generated.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class CaseStatisticsBenchmark(ITestOutputHelper output)
{
    [BenchmarkFact("CASE_STATS_BENCH")]
    public async Task Statistics_and_list_pages_over_a_million_cases_beside_ten_thousand()
    {
        var rounds = int.TryParse(Environment.GetEnvironmentVariable("CASE_STATS_BENCH"), out var n) && n > 0 ? n : 10;
        var large = Environment.GetEnvironmentVariable("CASE_STATS_BENCH_DATA") is { Length: > 0 } given ? given : await Generate(1_000_000);
        var small = await Generate(10_000);
        output.WriteLine($"{rounds} rounds after a warm-up round; p50 and p99 in ms");
        output.WriteLine("| Request | 10,000 cases p50 | p99 | 1,000,000 cases p50 | p99 | p50 ratio |");
        output.WriteLine("|---|---:|---:|---:|---:|---:|");
        var baseline = await Measure(small, rounds);
        var measured = await Measure(large, rounds);
        foreach (var (what, times) in measured)
        {
            var b = baseline[what];
            output.WriteLine($"| {what} | {Percentiles.Of(b, 50):0.0} | {Percentiles.Of(b, 99):0.0} | {Percentiles.Of(times, 50):0.0} | {Percentiles.Of(times, 99):0.0} | " +
                             $"{Percentiles.Of(times, 50) / Math.Max(0.1, Percentiles.Of(b, 50)):0.0}× |");
        }
    }

    private async Task<string> Generate(int count)
    {
        var data = Directory.CreateTempSubdirectory("case-stats-bench-").FullName;
        var took = await new CaseGenerator(count, data, DateTimeOffset.UtcNow).RunAsync();
        output.WriteLine($"generated {count:N0} cases in {took.TotalSeconds:0.0} s");
        return data;
    }

    private async Task<Dictionary<string, List<double>>> Measure(string data, int rounds)
    {
        await using var host = new CommandCenterProcess(data);
        await host.Start();
        var now = DateTimeOffset.UtcNow;
        var month = $"from={Uri.EscapeDataString(now.AddDays(-30).ToString("O"))}&to={Uri.EscapeDataString(now.ToString("O"))}";
        var year = $"from={Uri.EscapeDataString(now.AddDays(-365).ToString("O"))}&to={Uri.EscapeDataString(now.ToString("O"))}";
        // Half a year back: a page deep in the list, reached by its keyset cursor as a client paging on would.
        var deep = $"{now.AddDays(-182).ToUnixTimeMilliseconds()}_~";
        var requests = new (string What, string Path)[]
        {
            ("statistics, a month by department", $"/api/cases/statistics?{month}&by=department"),
            ("statistics, a year by department", $"/api/cases/statistics?{year}&by=department"),
            ("statistics, a year by category", $"/api/cases/statistics?{year}&by=category"),
            ("statistics, a year by grid cell", $"/api/cases/statistics?{year}&by=grid"),
            ("statistics CSV, a year by department", $"/api/cases/statistics.csv?{year}&by=department"),
            ("case list, first page (50)", "/api/cases?limit=50"),
            ("case list, a page half a year deep (50)", $"/api/cases?limit=50&after={deep}"),
            ("case list, one department, half a year deep", $"/api/cases?limit=50&department=roads&after={deep}"),
        };
        var times = requests.ToDictionary(r => r.What, _ => new List<double>());
        // The first statistics request adds the statistics indexes (once per database): timed on its own.
        // On a million cases that takes longer than the client's usual 30 s on a busy machine.
        using (var patient = new HttpClient { BaseAddress = host.BaseAddress, Timeout = TimeSpan.FromMinutes(10) })
        {
            patient.DefaultRequestHeaders.Add("X-Api-Key", CommandCenterProcess.ApiKey);
            var first = Stopwatch.StartNew();
            (await patient.GetAsync(requests[0].Path)).EnsureSuccessStatusCode();
            times["first statistics request (builds the indexes)"] = [first.Elapsed.TotalMilliseconds];
        }
        var total = (await host.Api.GetFromJsonAsync<JsonElement>($"/api/cases/statistics?{year}")).GetProperty("total").GetProperty("reported").GetInt64();
        output.WriteLine($"{data}: {total:N0} cases reported in the year");

        await using var browser = await Browser.Launch();
        var page = await browser.SignIn(host.BaseAddress, "operator", "Operator#2026");
        var pageTimes = times["statistics page, a year by department, in chromium"] = [];
        for (var round = 0; round <= rounds; round++)
        {
            foreach (var (what, path) in requests)
            {
                var watch = Stopwatch.StartNew();
                (await host.Api.GetAsync(path)).EnsureSuccessStatusCode();
                if (round > 0) times[what].Add(watch.Elapsed.TotalMilliseconds);
            }
            var shown = Stopwatch.StartNew();
            await page.GotoAsync($"/cases/statistics?{year}&by=department");
            await Expect(page.Locator("#chart-rates")).ToHaveAttributeAsync("data-state", "drawn", new() { Timeout = 30_000 });
            if (round > 0) pageTimes.Add(shown.Elapsed.TotalMilliseconds);
        }
        return times;
    }
}
