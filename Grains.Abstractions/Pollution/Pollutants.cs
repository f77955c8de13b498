namespace CommandCenter.Grains.Pollution;

/// <summary>
/// An HJ 212-2017 pollutant code with its GB 3095-2012 grade II limit, where it has one, for display; alerts are
/// judged on the rules of <see cref="PollutionOptions"/> (per profile and averaging period).
/// </summary>
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
        new("a34013", "Smoke dust", "mg/m³", null, null),
        new("w21003", "NH3-N", "mg/L", null, null),
    }.ToDictionary(p => p.Code);

    public static string NameOf(string code) => Known.TryGetValue(code, out var p) ? p.Name : code;
    public static string UnitOf(string code) => Known.TryGetValue(code, out var p) ? p.Unit : "";
}
