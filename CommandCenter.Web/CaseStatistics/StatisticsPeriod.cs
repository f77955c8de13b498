using System.Globalization;

namespace CommandCenter.Web.CaseStatistics;

/// <summary>
/// A statistics period, [From, To). Operators think in China's days: a bare date (2026-12-01) is midnight China time,
/// and a bare date as the end takes that whole day in. Without <c>from</c> and <c>to</c>: this month so far.
/// </summary>
public sealed record StatisticsPeriod(DateTimeOffset From, DateTimeOffset To)
{
    public static readonly TimeSpan China = TimeSpan.FromHours(8);
    /// <summary>Ten years and a bit: any longer is a typing mistake, not a question.</summary>
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(3700);

    public static StatisticsPeriod ThisWeek(DateTimeOffset now)
    {
        var today = Today(now);
        var monday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        return new(monday, today.AddDays(1));
    }

    public static StatisticsPeriod ThisMonth(DateTimeOffset now)
    {
        var today = Today(now);
        return new(new DateTimeOffset(today.Year, today.Month, 1, 0, 0, 0, China), today.AddDays(1));
    }

    public static StatisticsPeriod ThisYear(DateTimeOffset now)
    {
        var today = Today(now);
        return new(new DateTimeOffset(today.Year, 1, 1, 0, 0, 0, China), today.AddDays(1));
    }

    private static DateTimeOffset Today(DateTimeOffset now)
    {
        var china = now.ToOffset(China);
        return new DateTimeOffset(china.Year, china.Month, china.Day, 0, 0, 0, China);
    }

    /// <summary>Reads the query's <c>from</c> and <c>to</c>; null with the reason when they are not a period.</summary>
    public static StatisticsPeriod? Parse(string? from, string? to, DateTimeOffset now, out string? problem)
    {
        problem = null;
        var month = ThisMonth(now);
        var end = month.To;
        if (to is not null && !TryParse(to, isEnd: true, out end))
        {
            problem = "to must be a date (2026-12-31, that day included) or an ISO 8601 time (2026-12-31T18:00:00+08:00).";
            return null;
        }
        var start = from is null && to is null ? month.From : end - TimeSpan.FromDays(30);
        if (from is not null && !TryParse(from, isEnd: false, out start))
        {
            problem = "from must be a date (2026-12-01) or an ISO 8601 time (2026-12-01T08:00:00+08:00).";
            return null;
        }
        if (start >= end) problem = "from must be before to.";
        else if (end - start > MaxRange) problem = $"The period may span at most {MaxRange.TotalDays:0} days.";
        else if (start < DateTimeOffset.UnixEpoch) problem = "from must not be before 1970.";
        return problem is null ? new StatisticsPeriod(start, end) : null;
    }

    private static bool TryParse(string text, bool isEnd, out DateTimeOffset at)
    {
        if (DateOnly.TryParseExact(text, "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var date))
        {
            at = new DateTimeOffset(date.ToDateTime(TimeOnly.MinValue), China);
            if (isEnd) at = at.AddDays(1);
            return true;
        }
        // A time without an offset is China time too.
        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out at))
        {
            if (!HasOffset(text)) at = new DateTimeOffset(at.DateTime, China);
            return true;
        }
        return false;
    }

    private static bool HasOffset(string text) =>
        text.EndsWith('Z') || text.EndsWith('z') || (text.Length > 6 && text[^6] is '+' or '-' && text[^3] == ':');
}
