using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml;

namespace CommandCenter.Web.History;

/// <summary>Reads the query string of the history route; each method answers null and a reason when the text is wrong.</summary>
public static partial class HistoryQueryText
{
    [GeneratedRegex("^[a-z][0-9]{5}$")]
    public static partial Regex PollutantCode();

    [GeneratedRegex(@"^(?<n>[0-9]{1,9})(?<unit>ms|s|m|h|d|w)$")]
    private static partial Regex ShortDuration();

    /// <summary><c>30s</c>, <c>1m</c>, <c>5m</c>, <c>1h</c>, <c>1d</c>, an ISO 8601 duration (<c>PT5M</c>) or plain seconds (<c>300</c>).</summary>
    public static bool TryParseStep(string text, out TimeSpan step)
    {
        step = default;
        text = text.Trim();
        if (ShortDuration().Match(text) is { Success: true } match)
        {
            var n = long.Parse(match.Groups["n"].Value, CultureInfo.InvariantCulture);
            step = match.Groups["unit"].Value switch
            {
                "ms" => TimeSpan.FromMilliseconds(n),
                "s" => TimeSpan.FromSeconds(n),
                "m" => TimeSpan.FromMinutes(n),
                "h" => TimeSpan.FromHours(n),
                "d" => TimeSpan.FromDays(n),
                _ => TimeSpan.FromDays(7 * n),
            };
            return true;
        }
        if (long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) && seconds <= int.MaxValue)
        {
            step = TimeSpan.FromSeconds(seconds);
            return true;
        }
        if (text.StartsWith('P'))
        {
            try
            {
                step = XmlConvert.ToTimeSpan(text);
                return true;
            }
            catch (FormatException) { }
            catch (OverflowException) { }
        }
        return false;
    }

    /// <summary>An ISO 8601 time; one without an offset is taken as UTC.</summary>
    public static bool TryParseTime(string text, out DateTimeOffset time) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out time);
}
