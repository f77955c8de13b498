using System.Globalization;
using CommandCenter.Grains.Alerts;

namespace CommandCenter.Web.Live;

/// <summary>A row of the alert feed: one alert, or many active alerts of one type collapsed into one line.</summary>
public abstract record FeedRow;

public sealed record AlertRow(Alert Alert) : FeedRow;

/// <summary>Active alerts of <paramref name="Type"/> shown as one line; <paramref name="Lead"/> is the most urgent of them.</summary>
public sealed record GroupRow(string Type, int Count, Alert Lead) : FeedRow
{
    public string CountText => Count.ToString("N0", CultureInfo.InvariantCulture);
}

/// <summary>
/// What the alert feed draws: the most urgent rows up to a cap, with many active alerts of one type (10,000 devices
/// gone offline at once) collapsed into a group row an operator can expand. A screen draws tens of rows, never
/// thousands, however many alerts are open.
/// </summary>
public sealed record AlertFeed(IReadOnlyList<FeedRow> Rows, int Active, int NotShown, IReadOnlyList<string> GroupedTypes)
{
    public static readonly AlertFeed Empty = new([], 0, 0, []);

    /// <summary>Active before cleared; among active ones the most severe, then the newest; cleared ones newest first.</summary>
    public static readonly Comparer<Alert> Urgency = Comparer<Alert>.Create((a, b) =>
    {
        if (a.IsActive != b.IsActive) return a.IsActive ? -1 : 1;
        if (a.IsActive && a.Severity != b.Severity) return b.Severity.CompareTo(a.Severity);
        return b.LastAt.CompareTo(a.LastAt);
    });

    /// <param name="alerts">The whole feed, in any order.</param>
    /// <param name="expanded">Types the operator opened: their alerts are listed one by one (still within <paramref name="maxRows"/>).</param>
    /// <param name="maxRows">Most rows drawn.</param>
    /// <param name="groupAbove">More active alerts of one type than this are collapsed into a group row.</param>
    public static AlertFeed Build(IEnumerable<Alert> alerts, IReadOnlySet<string> expanded, int maxRows, int groupAbove)
    {
        var all = alerts as IReadOnlyCollection<Alert> ?? alerts.ToList();
        var perType = new Dictionary<string, int>();
        var active = 0;
        foreach (var alert in all)
        {
            if (!alert.IsActive) continue;
            active++;
            perType[alert.Key.Type] = perType.GetValueOrDefault(alert.Key.Type) + 1;
        }
        var grouped = perType.Where(t => t.Value > groupAbove).Select(t => t.Key).ToHashSet();

        // A collapsed group takes the place in the order of its most urgent member.
        var leads = new Dictionary<string, Alert>();
        var singles = new List<Alert>(all.Count);
        foreach (var alert in all)
        {
            if (alert.IsActive && grouped.Contains(alert.Key.Type) && !expanded.Contains(alert.Key.Type))
            {
                if (!leads.TryGetValue(alert.Key.Type, out var lead) || Urgency.Compare(alert, lead) < 0) leads[alert.Key.Type] = alert;
            }
            else singles.Add(alert);
        }

        // OrderBy followed by Take sorts only as far as the rows it returns.
        var rows = singles.Select(a => (Alert: a, Group: (string?)null))
            .Concat(leads.Select(l => (Alert: l.Value, Group: (string?)l.Key)))
            .OrderBy(e => e.Alert, Urgency)
            .Take(maxRows)
            .Select(e => e.Group is { } type ? new GroupRow(type, perType[type], e.Alert) : (FeedRow)new AlertRow(e.Alert))
            .ToList();
        var shown = rows.Sum(r => r is GroupRow g ? g.Count : 1);
        return new AlertFeed(rows, active, all.Count - shown, [.. grouped.Order(StringComparer.Ordinal)]);
    }
}
