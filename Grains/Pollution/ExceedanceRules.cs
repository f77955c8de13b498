using CommandCenter.Grains.Alerts;

namespace CommandCenter.Grains.Pollution;

/// <summary>
/// Names of the rules a pollutant is judged by. Each rule has its own alert: the immediate rule keeps the alert type
/// <c>exceed-{code}</c> it always had, an averaging period's rule is <c>exceed-{code}-{1h|8h|24h}</c>. Separate alerts
/// because each rule opens and clears on its own time scale (a 1-h peak is long over while the 24-h average is still
/// above its limit), names its own limit, and is what an officer confirms or dismisses.
/// </summary>
public static class ExceedanceRules
{
    public static string Name(AveragingPeriod period) => period switch
    {
        AveragingPeriod.Hour1 => "1h",
        AveragingPeriod.Hour8 => "8h",
        _ => "24h",
    };

    public static string Label(AveragingPeriod period) => period switch
    {
        AveragingPeriod.Hour1 => "1-h",
        AveragingPeriod.Hour8 => "8-h",
        _ => "24-h",
    };

    /// <summary>The key of a rule in the sensor's state: the code alone for the immediate rule.</summary>
    public static string Key(string code, AveragingPeriod? period) => period is { } p ? $"{code}-{Name(p)}" : code;

    /// <summary>The pollutant a rule key is about.</summary>
    public static string CodeOf(string ruleKey) => TryParse(ruleKey, out var code, out _) ? code : ruleKey;

    /// <summary>Splits a rule key (or an alert type without its <c>exceed-</c> prefix) into code and period.</summary>
    public static bool TryParse(string ruleKey, out string code, out AveragingPeriod? period)
    {
        period = null;
        code = ruleKey;
        var dash = ruleKey.LastIndexOf('-');
        if (dash < 0) return true;
        foreach (var p in Enum.GetValues<AveragingPeriod>())
            if (string.Equals(ruleKey[(dash + 1)..], Name(p), StringComparison.Ordinal))
            {
                (code, period) = (ruleKey[..dash], p);
                return true;
            }
        return true;
    }

    /// <summary>The alert type of a rule.</summary>
    public static string AlertType(string code, AveragingPeriod? period) => SystemAlertTypes.Exceedance(Key(code, period));

    /// <summary>
    /// How far a value is beyond a rule's limits: value ÷ upper limit, or lower limit ÷ value; above 1 is beyond.
    /// Returns the limit that ratio is taken against.
    /// </summary>
    public static (double Ratio, double Limit) RatioOf(double value, double? upper, double? lower)
    {
        var above = upper is > 0 and var u ? (value / u, u) : (0d, 0d);
        var below = lower is > 0 and var l ? (value <= 0 ? double.MaxValue : l / value, l) : (0d, 0d);
        return below.Item1 > above.Item1 ? below : above;
    }
}
