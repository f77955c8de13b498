namespace CommandCenter.Web.Sensors;

/// <summary>
/// A time range of a chart and the history step asked for it: few enough points for the chart's width to draw at once
/// (a week of minute values is 10,080 points), raw readings for short ranges. Raw readings carry their data flags;
/// averaged steps hold N readings only. Where raw readings are asked for and there are too many, the chart asks again
/// with <paramref name="FallbackStep"/>.
/// </summary>
public sealed record ChartRange(string Key, DateTimeOffset From, DateTimeOffset To, string? Step, string FallbackStep)
{
    /// <summary>The ranges a page offers; a page names them by key (SensorText "Range.{key}").</summary>
    public static readonly (string Key, TimeSpan Span)[] Choices =
    [
        ("hour", TimeSpan.FromHours(1)),
        ("day", TimeSpan.FromDays(1)),
        ("week", TimeSpan.FromDays(7)),
        ("month", TimeSpan.FromDays(30)),
    ];

    public static ChartRange Last(string key, DateTimeOffset now)
    {
        var choice = Choices.FirstOrDefault(c => c.Key == key);
        if (choice.Key is null) choice = Choices[1];
        return new ChartRange(choice.Key, now - choice.Span, now, StepFor(choice.Span), FallbackFor(choice.Span));
    }

    /// <summary>
    /// Around an alert: from six hours before it was raised to two hours after, or to its clearing (and an hour
    /// beyond) when that was later; never past now.
    /// </summary>
    public static ChartRange Around(Grains.Alerts.Alert alert, DateTimeOffset now)
    {
        var from = alert.FirstAt - TimeSpan.FromHours(6);
        var end = alert.ClearedAt is { } cleared ? cleared + TimeSpan.FromHours(1) : now;
        var to = Min(now, Max(alert.FirstAt + TimeSpan.FromHours(2), end));
        if (to <= from) to = from + TimeSpan.FromHours(8);
        // Raw readings first: the officer judges the flags too.
        return new ChartRange("alert", from, to, null, FallbackFor(to - from));
    }

    public static string? StepFor(TimeSpan span) =>
        span <= TimeSpan.FromHours(3) ? null : span <= TimeSpan.FromDays(8) ? "1m" : "5m";

    public static string FallbackFor(TimeSpan span) => span <= TimeSpan.FromDays(8) ? "1m" : "5m";

    private static DateTimeOffset Min(DateTimeOffset a, DateTimeOffset b) => a < b ? a : b;
    private static DateTimeOffset Max(DateTimeOffset a, DateTimeOffset b) => a > b ? a : b;
}
