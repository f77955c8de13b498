using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using CommandCenter.Grains.Cases;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CommandCenter.Web.Tests;

/// <summary>
/// The evaluation over a small set of cases with known times, written into the data directory through the case store
/// before the host starts (March 2025, China time), against figures worked out by hand; the CSV export; the
/// statistics page in Debian's chromium.
/// </summary>
[Collection(OwnHosts.Name)]
public sealed class CaseStatisticsTests(CaseStatisticsHost fixture) : IClassFixture<CaseStatisticsHost>
{
    private readonly CommandCenterProcess _host = fixture.Host;
    private readonly Browser _chromium = fixture.Chromium;

    private const string March = "from=2025-03-01&to=2025-03-31";

    [Fact]
    public async Task The_rates_per_department_and_in_total_equal_the_figures_worked_out_by_hand()
    {
        var report = await _host.Api.GetFromJsonAsync<JsonElement>($"/api/cases/statistics?{March}&by=department");
        Assert.Equal("department", report.GetProperty("by").GetString());
        var rows = report.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!);
        Assert.Equal(new[] { "sanitation", "roads" }, rows.Keys.ToArray());

        var sanitation = rows["sanitation"];
        Assert.Equal(3, sanitation.GetProperty("reported").GetInt64());
        Assert.Equal(1, sanitation.GetProperty("cancelled").GetInt64());
        Assert.Equal(2, sanitation.GetProperty("handled").GetInt64());
        Assert.Equal(2, sanitation.GetProperty("closed").GetInt64());
        Assert.Equal(0.5, sanitation.GetProperty("onTimeRate").GetDouble(), 6);
        Assert.Equal(0.5, sanitation.GetProperty("reworkRate").GetDouble(), 6);
        Assert.Equal((4 + 6) / 2.0, sanitation.GetProperty("averageHandlingHours").GetDouble(), 6);
        Assert.Equal((6 + 12) / 2.0, sanitation.GetProperty("averageCloseHours").GetDouble(), 6);

        var roads = rows["roads"];
        Assert.Equal(2, roads.GetProperty("reported").GetInt64());
        Assert.Equal(1, roads.GetProperty("overdue").GetInt64());
        Assert.Equal(1.0, roads.GetProperty("onTimeRate").GetDouble(), 6);
        Assert.Equal(0.0, roads.GetProperty("reworkRate").GetDouble(), 6);
        Assert.Equal(24.0, roads.GetProperty("averageHandlingHours").GetDouble(), 6);
        Assert.Equal(27.0, roads.GetProperty("averageCloseHours").GetDouble(), 6);

        var total = report.GetProperty("total");
        Assert.Equal(5, total.GetProperty("reported").GetInt64());
        Assert.Equal(3, total.GetProperty("closed").GetInt64());
        Assert.Equal(2 / 3.0, total.GetProperty("onTimeRate").GetDouble(), 6);
        Assert.Equal(1 / 3.0, total.GetProperty("reworkRate").GetDouble(), 6);
        Assert.Equal((4 + 6 + 24) / 3.0, total.GetProperty("averageHandlingHours").GetDouble(), 6);
        Assert.Equal((6 + 12 + 27) / 3.0, total.GetProperty("averageCloseHours").GetDouble(), 6);

        // By source: Inspector B, D, E; Hotline A; Open311 C.
        var bySource = await _host.Api.GetFromJsonAsync<JsonElement>($"/api/cases/statistics?{March}&by=source");
        var sources = bySource.GetProperty("rows").EnumerateArray().ToDictionary(r => r.GetProperty("key").GetString()!, r => r.GetProperty("reported").GetInt64());
        Assert.Equal(new Dictionary<string, long> { ["Inspector"] = 3, ["Hotline"] = 1, ["Open311"] = 1 }, sources);
        // February alone: only F.
        var february = await _host.Api.GetFromJsonAsync<JsonElement>("/api/cases/statistics?from=2025-02-01&to=2025-02-28&by=category");
        Assert.Equal(1, february.GetProperty("total").GetProperty("reported").GetInt64());
        Assert.Equal("event-0302", Assert.Single(february.GetProperty("rows").EnumerateArray()).GetProperty("key").GetString());
    }

    [Theory]
    [InlineData("by=weekday", "by must be")]
    [InlineData("from=yesterday", "from must be")]
    [InlineData("from=2025-03-31&to=2025-03-01", "before")]
    [InlineData("from=1900-01-01&to=2025-01-01", "at most")]
    public async Task A_bad_query_is_a_problem_not_a_crash(string query, string expected)
    {
        foreach (var route in new[] { "/api/cases/statistics", "/api/cases/statistics.csv" })
        {
            var response = await _host.Api.GetAsync($"{route}?{query}");
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            Assert.Contains(expected, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("detail").GetString());
        }
    }

    [Fact]
    public async Task The_csv_has_the_bom_a_line_per_row_and_keeps_a_formula_as_text()
    {
        var response = await _host.Api.GetAsync($"/api/cases/statistics.csv?{March}&by=grid");
        response.EnsureSuccessStatusCode();
        Assert.Equal("text/csv", response.Content.Headers.ContentType?.MediaType);
        var bytes = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(Encoding.UTF8.GetPreamble(), bytes[..3]);
        var lines = Encoding.UTF8.GetString(bytes[3..]).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("grid,reported 上报,", lines[0]);
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("620402-03-04,4,1,3,1,3,2,0,0.6667,0.3333,", lines[1]);
        Assert.StartsWith("'=SUM(A1:A9),1,0,0,0,0,0,1,,,", lines[2]);
        Assert.StartsWith("合计 Total,5,", lines[3]);
    }

    [Fact]
    public async Task The_page_shows_the_kpis_the_table_and_draws_both_charts_without_console_errors()
    {
        var page = await _chromium.SignIn(_host.BaseAddress, "operator", "Operator#2026");
        var errors = new List<string>();
        page.Console += (_, message) => { if (message.Type == "error") lock (errors) errors.Add(message.Text); };
        page.PageError += (_, error) => { lock (errors) errors.Add(error); };

        // A link names the period; the charts are drawn once the page is interactive.
        await page.GotoAsync($"/cases/statistics?{March}");
        await Expect(page.Locator("#chart-counts")).ToHaveAttributeAsync("data-state", "drawn", new() { Timeout = 20_000 });
        await Expect(page.Locator("dd[data-kpi='reported']")).ToHaveTextAsync("5");
        // This year (2026 or later) holds none of them; the custom period brings them back.
        await page.ClickAsync("button[data-period='year']");
        await Expect(page.Locator("dd[data-kpi='reported']")).ToHaveTextAsync("0");
        await Expect(page.Locator("#statistics-empty")).ToBeVisibleAsync();
        await page.FillAsync("#period-from", "2025-03-01");
        await page.FillAsync("#period-to", "2025-03-31");
        await page.ClickAsync("#period-apply");
        await Expect(page.Locator("dd[data-kpi='reported']")).ToHaveTextAsync("5");
        await Expect(page.Locator("dd[data-kpi='on-time-rate']")).ToHaveTextAsync("66.7 %");
        await Expect(page.Locator("dd[data-kpi='rework-rate']")).ToHaveTextAsync("33.3 %");
        await Expect(page.Locator("dd[data-kpi='handling-hours']")).ToHaveTextAsync("11.3 h");
        var sanitation = page.Locator("#statistics-table tr[data-key='sanitation']");
        await Expect(sanitation.Locator("td.key")).ToContainTextAsync("Sanitation");
        await Expect(sanitation.Locator("td.on-time-rate")).ToHaveTextAsync("50.0 %");
        foreach (var chart in new[] { "#chart-counts", "#chart-rates" })
        {
            await Expect(page.Locator(chart)).ToHaveAttributeAsync("data-state", "drawn");
            await Expect(page.Locator(chart)).ToHaveAttributeAsync("data-bars", "2");
            var inked = await page.Locator($"{chart} canvas").EvaluateAsync<int>("""
                c => { const d = c.getContext("2d").getImageData(0, 0, c.width, c.height).data; let n = 0;
                       for (let i = 3; i < d.length; i += 4) if (d[i] > 0) n++; return n; }
                """);
            Assert.True(inked > 500, $"only {inked} pixels drawn in {chart}");
        }

        // By grid cell: the cell named like a formula is shown as text.
        await page.ClickAsync("nav.grouping button[data-by='grid']");
        await Expect(page.Locator("#statistics-table")).ToHaveAttributeAsync("data-by", "grid");
        await Expect(page.Locator("#statistics-table tbody tr")).ToHaveCountAsync(2);
        await Expect(page.Locator("#statistics-table tbody")).ToContainTextAsync("=SUM(A1:A9)");
        var csv = await page.Locator("#statistics-csv").GetAttributeAsync("href");
        Assert.Contains("by=grid", csv);

        Assert.Empty(errors);
        Assert.Empty(_chromium.CspViolations(page));
    }

    [Fact]
    public async Task An_inspector_may_not_read_the_statistics()
    {
        var page = await _chromium.SignIn(_host.BaseAddress, "inspector", "Inspector#2026");
        var answer = await page.APIRequest.GetAsync($"/api/cases/statistics?{March}");
        Assert.Equal(403, answer.Status);
    }
}

/// <summary>One host for the class, started on a data directory holding the known cases.</summary>
public sealed class CaseStatisticsHost : IAsyncLifetime
{
    private static readonly TimeSpan China = TimeSpan.FromHours(8);
    private static DateTimeOffset At(int month, int day, int hour) => new(2025, month, day, hour, 0, 0, China);

    public CommandCenterProcess Host { get; private set; } = null!;
    public Browser Chromium { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var data = Directory.CreateTempSubdirectory("case-statistics-test-").FullName;
        await using (var store = new SqliteStore(Options.Create(new StorageOptions { DataDirectory = data }), NullLogger<SqliteStore>.Instance))
            await new CaseStore(store).SaveManyAsync(KnownCases());
        Host = new CommandCenterProcess(data);
        await Host.Start();
        Chromium = await Browser.Launch();
    }

    public async Task DisposeAsync()
    {
        await Chromium.DisposeAsync();
        await Host.DisposeAsync();
    }

    /// <summary>
    /// sanitation: A closed on time (dispatch → handled 4 h, report → close 6 h); B reworked once and late
    /// (6 h, 12 h); C cancelled. roads: D closed on time (24 h, 27 h); E dispatched and overdue, in a grid cell whose
    /// code would be a spreadsheet formula. F (roads, closed) was reported in February: outside the period.
    /// </summary>
    private static List<Case> KnownCases() =>
    [
        Closed("C20250303000001", "sanitation", "event-0101", CaseSource.Hotline, At(3, 3, 8), At(3, 3, 9), At(3, 3, 13), At(3, 3, 14), rework: 0, late: 0),
        Closed("C20250304000001", "sanitation", "event-0101", CaseSource.Inspector, At(3, 4, 8), At(3, 4, 10), At(3, 4, 16), At(3, 4, 20), rework: 1, late: 1),
        Case("C20250305000001", "sanitation", "event-0103", CaseSource.Open311, At(3, 5, 8)) with { State = CaseState.Cancelled },
        Closed("C20250306000001", "roads", "event-0302", CaseSource.Inspector, At(3, 6, 8), At(3, 6, 9), At(3, 7, 9), At(3, 7, 11), rework: 0, late: 0),
        Case("C20250307000001", "roads", "event-0302", CaseSource.Inspector, At(3, 7, 8)) with
        {
            State = CaseState.Dispatched, Grid = "=SUM(A1:A9)", FiledAt = At(3, 7, 8), DispatchedAt = At(3, 7, 9), DueAt = At(3, 10, 9),
            Overdue = true, Warned = true,
        },
        Closed("C20250220000001", "roads", "event-0302", CaseSource.Hotline, At(2, 20, 8), At(2, 20, 9), At(2, 20, 10), At(2, 20, 11), rework: 0, late: 0),
    ];

    private static Case Case(string id, string department, string category, CaseSource source, DateTimeOffset reported) => new()
    {
        Id = id, Source = source, State = CaseState.Reported, Type = CaseType.Event, Category = category, Description = "统计测试 statistics test",
        Grid = "620402-03-04", District = "620402", Department = department, ReportedAt = reported, UpdatedAt = reported,
    };

    private static Case Closed(string id, string department, string category, CaseSource source, DateTimeOffset reported, DateTimeOffset dispatched,
        DateTimeOffset handled, DateTimeOffset closed, int rework, int late) =>
        Case(id, department, category, source, reported) with
        {
            State = CaseState.Closed, FiledAt = reported.AddMinutes(30), DispatchedAt = dispatched, HandledAt = handled, ClosedAt = closed,
            ReworkCount = rework, LateSteps = late, UpdatedAt = closed,
        };
}
