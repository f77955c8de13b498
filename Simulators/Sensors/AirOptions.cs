namespace CommandCenter.Simulators.Sensors;

/// <summary>The shape of the simulated air quality: daily cycle peaks and each pollutant's profile.</summary>
public sealed class AirOptions
{
    public double MorningRushHour { get; set; } = 8;
    public double EveningRushHour { get; set; } = 18.5;
    public double RushHourWidthHours { get; set; } = 1.5;

    /// <summary>Photochemistry (O3) peaks in the afternoon, when the deeper mixing layer also thins out particles.</summary>
    public double AfternoonPeakHour { get; set; } = 15;
    public double AfternoonWidthHours { get; set; } = 2.5;

    /// <summary>Each sensor's site reads up to this fraction above or below the profile (a busy road, a park).</summary>
    public double SiteVariation { get; set; } = 0.15;

    /// <summary>Reported pollutants by HJ 212 code. Units µg/m³ except CO (a21005) in mg/m³; peaks stay below GB 3095 grade II.</summary>
    public Dictionary<string, PollutantProfile> Pollutants { get; set; } = new(StringComparer.Ordinal)
    {
        ["a34004"] = new() { Baseline = 30, RushHourGain = 0.6, AfternoonGain = -0.2, Noise = 0.08 },   // PM2.5, limit 75
        ["a34002"] = new() { Baseline = 60, RushHourGain = 0.6, AfternoonGain = -0.2, Noise = 0.08 },   // PM10, limit 150
        ["a21026"] = new() { Baseline = 18, RushHourGain = 0.3, AfternoonGain = 0, Noise = 0.1 },       // SO2, limit 500
        ["a21004"] = new() { Baseline = 28, RushHourGain = 0.9, AfternoonGain = -0.3, Noise = 0.1 },    // NO2, limit 200
        ["a21005"] = new() { Baseline = 0.6, RushHourGain = 0.6, AfternoonGain = -0.2, Noise = 0.08, Decimals = 2 }, // CO mg/m³, limit 10
        ["a05024"] = new() { Baseline = 35, RushHourGain = -0.3, AfternoonGain = 2.2, Noise = 0.08 },   // O3, limit 200
    };
}

/// <summary>
/// Expected level = Baseline × site × (1 + RushHourGain × rush-hour peak + AfternoonGain × afternoon peak),
/// each peak rising from 0 to 1 at its hour; then multiplied by (1 + Noise × a standard normal draw).
/// </summary>
public sealed class PollutantProfile
{
    public double Baseline { get; set; }
    public double RushHourGain { get; set; }
    public double AfternoonGain { get; set; }
    public double Noise { get; set; } = 0.05;
    public int Decimals { get; set; } = 1;
}
