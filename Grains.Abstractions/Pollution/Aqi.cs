namespace CommandCenter.Grains.Pollution;

/// <summary>The averaging period a concentration or a limit stands for.</summary>
public enum AveragingPeriod { Hour1, Hour8, Hour24 }

/// <summary>One AQI level of HJ 633-2012 table 2: number 1–6, names and the colour the standard gives it.</summary>
[GenerateSerializer, Immutable, Alias("aqi-level")]
public sealed record AqiLevel(int Number, string Chinese, string English, string Color);

/// <summary>
/// The air-quality index of a sensor now: the highest individual index (IAQI) and the pollutant(s) that set it.
/// </summary>
/// <param name="PrimaryPollutants">HJ 212 codes of the pollutants whose IAQI is the AQI; empty when the AQI is 50 or less.</param>
/// <param name="Iaqi">Each pollutant's IAQI by HJ 212 code (O3: the higher of its 1-h and 8-h indices).</param>
[GenerateSerializer, Immutable, Alias("air-quality")]
public sealed record AirQuality(int Aqi, int Level, IReadOnlyList<string> PrimaryPollutants, IReadOnlyDictionary<string, int> Iaqi,
    DateTimeOffset At)
{
    public string? PrimaryPollutant => PrimaryPollutants.Count > 0 ? PrimaryPollutants[0] : null;
    public AqiLevel LevelInfo => Pollution.Aqi.Levels[Level - 1];
}

/// <summary>
/// HJ 633-2012 "Technical Regulation on Ambient Air Quality Index": individual indices from the breakpoints of its
/// table 1, the AQI, the primary pollutant and the level of table 2. Concentrations in µg/m³, CO in mg/m³.
/// </summary>
/// <remarks>
/// Rules of table 1's notes kept here: an SO2 1-h concentration above 800 µg/m³ has no 1-h index, the SO2 24-h index
/// is reported instead; an O3 8-h concentration above 800 µg/m³ has no 8-h index, the O3 1-h index is reported
/// instead. Above the last breakpoint an index is 500 (the standard stops computing it there). An IAQI is rounded up
/// to the next integer (HJ 633 §5.1: "计算结果进位取整").
/// </remarks>
public static class Aqi
{
    public const string So2 = "a21026", No2 = "a21004", Co = "a21005", O3 = "a05024", Pm10 = "a34002", Pm25 = "a34004";

    /// <summary>The IAQI each breakpoint row stands for.</summary>
    private static readonly double[] Indices = [0, 50, 100, 150, 200, 300, 400, 500];

    // HJ 633-2012 table 1, row by row.
    private static readonly Dictionary<(string Code, AveragingPeriod Period), double[]> Breakpoints = new()
    {
        [(So2, AveragingPeriod.Hour24)] = [0, 50, 150, 475, 800, 1600, 2100, 2620],
        [(So2, AveragingPeriod.Hour1)] = [0, 150, 500, 650, 800],
        [(No2, AveragingPeriod.Hour24)] = [0, 40, 80, 180, 280, 565, 750, 940],
        [(No2, AveragingPeriod.Hour1)] = [0, 100, 200, 700, 1200, 2340, 3090, 3840],
        [(Pm10, AveragingPeriod.Hour24)] = [0, 50, 150, 250, 350, 420, 500, 600],
        [(Co, AveragingPeriod.Hour24)] = [0, 2, 4, 14, 24, 36, 48, 60],
        [(Co, AveragingPeriod.Hour1)] = [0, 5, 10, 35, 60, 90, 120, 150],
        [(O3, AveragingPeriod.Hour1)] = [0, 160, 200, 300, 400, 800, 1000, 1200],
        [(O3, AveragingPeriod.Hour8)] = [0, 100, 160, 215, 265, 800],
        [(Pm25, AveragingPeriod.Hour24)] = [0, 35, 75, 115, 150, 250, 350, 500],
    };

    /// <summary>HJ 633-2012 table 2, level 1 first.</summary>
    public static readonly IReadOnlyList<AqiLevel> Levels =
    [
        new(1, "优", "Good", "#00E400"),
        new(2, "良", "Moderate", "#FFFF00"),
        new(3, "轻度污染", "Lightly polluted", "#FF7E00"),
        new(4, "中度污染", "Moderately polluted", "#FF0000"),
        new(5, "重度污染", "Heavily polluted", "#99004C"),
        new(6, "严重污染", "Severely polluted", "#7E0023"),
    ];

    /// <summary>Whether HJ 633 has a breakpoint row for this pollutant and period.</summary>
    public static bool HasTable(string code, AveragingPeriod period) => Breakpoints.ContainsKey((code, period));

    /// <summary>
    /// The individual index of one concentration, or null where the standard gives none (no row; SO2 1-h or O3 8-h
    /// above 800 µg/m³, where the caller reports the other period's index instead; a negative value).
    /// </summary>
    public static int? Iaqi(string code, AveragingPeriod period, double concentration)
    {
        if (!Breakpoints.TryGetValue((code, period), out var row) || concentration < 0 || double.IsNaN(concentration)) return null;
        if (concentration > row[^1]) return row.Length == Indices.Length ? 500 : null;
        for (var i = 1; i < row.Length; i++)
        {
            if (concentration > row[i]) continue;
            var index = (Indices[i] - Indices[i - 1]) / (row[i] - row[i - 1]) * (concentration - row[i - 1]) + Indices[i - 1];
            // Rounded before going up, so 100.00000000001 from floating point is still 100 on a breakpoint.
            return (int)Math.Ceiling(Math.Round(index, 6));
        }
        return 500;
    }

    /// <summary>The level (1–6) of an AQI.</summary>
    public static int LevelOf(int aqi) => aqi switch
    {
        <= 50 => 1,
        <= 100 => 2,
        <= 150 => 3,
        <= 200 => 4,
        <= 300 => 5,
        _ => 6,
    };

    /// <summary>
    /// The real-time AQI as China's national stations publish it each hour: SO2, NO2, CO and O3 from their 1-h
    /// values, PM2.5 and PM10 from their 24-h moving averages, and O3 also from its 8-h moving average.
    /// </summary>
    /// <param name="hour">1-h concentrations by HJ 212 code.</param>
    /// <param name="hours8">8-h moving averages (only O3 is used).</param>
    /// <param name="hours24">24-h moving averages (PM2.5, PM10; SO2 where its 1-h value is above 800 µg/m³).</param>
    /// <returns>Null when no pollutant of the index has a value.</returns>
    /// <remarks>
    /// O3's index is the higher of its 1-h and 8-h indices: either period's limit can be the one broken, and the
    /// higher index is what people must be warned of. An SO2 1-h value above 800 takes the 24-h index (table 1 note);
    /// with no 24-h average yet, the 24-h row is applied to the 1-h value itself.
    /// </remarks>
    public static AirQuality? RealTime(IReadOnlyDictionary<string, double> hour, IReadOnlyDictionary<string, double> hours8,
        IReadOnlyDictionary<string, double> hours24, DateTimeOffset at)
    {
        var iaqi = new Dictionary<string, int>();
        foreach (var code in (string[])[No2, Co])
            if (hour.TryGetValue(code, out var c) && Iaqi(code, AveragingPeriod.Hour1, c) is { } i) iaqi[code] = i;
        if (hour.TryGetValue(So2, out var so2))
        {
            var index = Iaqi(So2, AveragingPeriod.Hour1, so2)
                ?? Iaqi(So2, AveragingPeriod.Hour24, hours24.TryGetValue(So2, out var so2Day) ? so2Day : so2);
            if (index is { } i) iaqi[So2] = i;
        }
        foreach (var code in (string[])[Pm25, Pm10])
            if (hours24.TryGetValue(code, out var c) && Iaqi(code, AveragingPeriod.Hour24, c) is { } i) iaqi[code] = i;
        int? o3Hour = hour.TryGetValue(O3, out var o3) ? Iaqi(O3, AveragingPeriod.Hour1, o3) : null;
        int? o3Hours8 = hours8.TryGetValue(O3, out var o38) ? Iaqi(O3, AveragingPeriod.Hour8, o38) : null;
        if (o3Hour is not null || o3Hours8 is not null) iaqi[O3] = Math.Max(o3Hour ?? 0, o3Hours8 ?? 0);
        return Of(iaqi, at);
    }

    /// <summary>AQI, primary pollutants and level from individual indices; null when there are none.</summary>
    public static AirQuality? Of(IReadOnlyDictionary<string, int> iaqi, DateTimeOffset at)
    {
        if (iaqi.Count == 0) return null;
        var aqi = iaqi.Values.Max();
        // HJ 633 §6: no primary pollutant when the AQI is 50 or less; every pollutant at the maximum otherwise.
        var primary = aqi <= 50 ? [] : iaqi.Where(p => p.Value == aqi).Select(p => p.Key).Order(StringComparer.Ordinal).ToList();
        return new AirQuality(aqi, LevelOf(aqi), primary, iaqi, at);
    }
}
