namespace CommandCenter.Grains.Pollution;

/// <summary>An HJ 212-2017 pollutant code with its GB 3095-2012 grade II limit, where it has one.</summary>
public sealed record Pollutant(string Code, string Name, string Unit, double? Limit, string? LimitBasis);

public static class Pollutants
{
    public static readonly IReadOnlyDictionary<string, Pollutant> Known = new Pollutant[]
    {
        new("a34004", "PM2.5", "µg/m³", 75, "24 h"),
        new("a34002", "PM10", "µg/m³", 150, "24 h"),
        new("a21026", "SO2", "µg/m³", 500, "1 h"),
        new("a21004", "NO2", "µg/m³", 200, "1 h"),
        new("a21005", "CO", "mg/m³", 10, "1 h"),
        new("a05024", "O3", "µg/m³", 200, "1 h"),
        new("a21002", "NOx", "µg/m³", null, null),
        new("w01018", "COD", "mg/L", null, null),
        new("w01001", "pH", "", null, null),
    }.ToDictionary(p => p.Code);

    public static string NameOf(string code) => Known.TryGetValue(code, out var p) ? p.Name : code;
    public static string UnitOf(string code) => Known.TryGetValue(code, out var p) ? p.Unit : "";
}

public sealed class PollutionOptions
{
    public const string Section = "Pollution";

    /// <summary>Consecutive readings above the limit that raise an exceedance alert.</summary>
    public int RaiseAfterReadings { get; set; } = 3;
    /// <summary>Consecutive readings below the clear threshold that clear it.</summary>
    public int ClearAfterReadings { get; set; } = 3;
    /// <summary>Hysteresis: a reading counts towards clearing only below this fraction of the limit.</summary>
    public double ClearBelowFractionOfLimit { get; set; } = 0.9;
    /// <summary>Overrides of the GB 3095-2012 grade II limits by pollutant code.</summary>
    public Dictionary<string, double> Limits { get; set; } = [];
    /// <summary>Value ÷ limit at or above which an exceedance is major / critical; below, minor.</summary>
    public double MajorAtRatio { get; set; } = 1.5;
    public double CriticalAtRatio { get; set; } = 2.5;

    public double? LimitOf(string code) =>
        Limits.TryGetValue(code, out var limit) ? limit : Pollutants.Known.GetValueOrDefault(code)?.Limit;

    public Alerts.AlertSeverity SeverityOf(double value, double limit) =>
        value >= limit * CriticalAtRatio ? Alerts.AlertSeverity.Critical
        : value >= limit * MajorAtRatio ? Alerts.AlertSeverity.Major
        : Alerts.AlertSeverity.Minor;
}
