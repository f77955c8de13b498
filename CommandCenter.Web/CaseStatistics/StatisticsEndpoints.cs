using System.Globalization;
using CommandCenter.Grains.Cases.Statistics;
using CommandCenter.Web.Accounts;
using CommandCenter.Web.Api;
using CommandCenter.Web.Enforcement;

namespace CommandCenter.Web.CaseStatistics;

/// <summary>
/// The evaluation of cases (docs/cases.md, "Statistics"): <c>GET /api/cases/statistics</c> as JSON and
/// <c>GET /api/cases/statistics.csv</c> for Excel. For operators and administrators signed in, or an API key with
/// the read scope (a wall screen or a report script).
/// </summary>
public static class StatisticsEndpoints
{
    /// <summary>Who may look at the statistics page and its figures.</summary>
    public const string Viewers = $"{Roles.Operator},{Roles.Admin}";

    /// <summary>Requests refused as bad (problem-details 400).</summary>
    private static long _refused;
    public static long Refused => Interlocked.Read(ref _refused);

    public static IServiceCollection AddCaseStatistics(this IServiceCollection services) => services.AddSingleton<StatisticsReader>();

    public static void MapCaseStatistics(this IEndpointRouteBuilder app)
    {
        // Literal segments win over /api/cases/{id}, so these two routes never reach the case lookup.
        app.MapGet("/api/cases/statistics", async (string? from, string? to, string? by, StatisticsReader reader, TimeProvider clock) =>
                Parse(from, to, by, clock, out var period, out var grouping) is { } bad ? bad : Results.Ok(await reader.ComputeAsync(period!, grouping)))
            .AddEndpointFilter<ViewerOrKey>();

        app.MapGet("/api/cases/statistics.csv", async (string? from, string? to, string? by, StatisticsReader reader, TimeProvider clock, ApiTime time) =>
            {
                if (Parse(from, to, by, clock, out var period, out var grouping) is { } bad) return bad;
                var report = await reader.ComputeAsync(period!, grouping);
                var name = $"case-statistics-{StatisticsQuery.Column(grouping)}-{Day(report.From)}-{Day(report.To.AddTicks(-1))}.csv";
                return Results.File(StatisticsCsv.Write(report, time), "text/csv; charset=utf-8", name);
            })
            .AddEndpointFilter<ViewerOrKey>();
    }

    private static string Day(DateTimeOffset at) => at.ToOffset(StatisticsPeriod.China).ToString("yyyyMMdd", CultureInfo.InvariantCulture);

    private static IResult? Parse(string? from, string? to, string? by, TimeProvider clock, out StatisticsPeriod? period, out StatisticsGrouping grouping)
    {
        period = null;
        if (!StatisticsQuery.TryParseGrouping(by, out grouping))
            return Bad("by must be department, category, source or grid.");
        period = StatisticsPeriod.Parse(from, to, clock.GetUtcNow(), out var problem);
        return period is null ? Bad(problem!) : null;
    }

    private static IResult Bad(string detail)
    {
        Interlocked.Increment(ref _refused);
        return Results.Problem(detail, statusCode: StatusCodes.Status400BadRequest, title: "Bad statistics query");
    }

    /// <summary>A signed-in operator or administrator (403 for other roles), or else an API key with the read scope.</summary>
    private sealed class ViewerOrKey(ApiKeyFilter keys) : IEndpointFilter
    {
        private static readonly string[] Allowed = Viewers.Split(',');

        public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
        {
            var user = context.HttpContext.User;
            if (user.Identity?.IsAuthenticated != true) return keys.InvokeAsync(context, next);
            return Allowed.Any(user.IsInRole)
                ? next(context)
                : ValueTask.FromResult<object?>(Results.Problem($"Only {string.Join(" or ", Allowed)} may read case statistics.",
                    statusCode: StatusCodes.Status403Forbidden, title: "Not allowed for this role"));
        }
    }
}

/// <summary>A statistics table as CSV for Excel (<see cref="ExcelCsv"/>): one line per group, then the total.</summary>
public static class StatisticsCsv
{
    public static byte[] Write(StatisticsReport report, ApiTime? time = null)
    {
        time ??= ApiTime.Default;
        string[] header =
        [
            StatisticsQuery.Column(report.By), "reported 上报", "cancelled 作废", "handled 已处置", "reworked 返工", "closed 结案",
            "closed_on_time 按期结案", "overdue 超期", "on_time_rate 按期结案率", "rework_rate 返工率", "avg_handling_hours 平均处置时长(小时)",
            "avg_close_hours 平均结案时长(小时)", "from", "to",
        ];
        var rows = report.Rows.Append(report.Total with { Key = "合计 Total" }).Select(r => new string?[]
        {
            r.Key ?? "—", Count(r.Reported), Count(r.Cancelled), Count(r.Handled), Count(r.Reworked), Count(r.Closed), Count(r.ClosedOnTime), Count(r.Overdue),
            Rate(r.OnTimeRate), Rate(r.ReworkRate), Hours(r.AverageHandlingHours), Hours(r.AverageCloseHours), time.CsvText(report.From), time.CsvText(report.To),
        });
        return ExcelCsv.Write(header, rows);
    }

    private static string Count(long n) => n.ToString(CultureInfo.InvariantCulture);
    private static string? Rate(double? r) => r?.ToString("0.0000", CultureInfo.InvariantCulture);
    private static string? Hours(double? h) => h?.ToString("0.00", CultureInfo.InvariantCulture);
}
