using System.Globalization;

namespace CommandCenter.Simulators.Sensors;

/// <summary>A pollution episode injected into one sensor: <see cref="PollutantCode"/> reads around <see cref="Level"/> for a while.</summary>
public sealed record Exceedance(string SensorId, string PollutantCode, double Level, TimeSpan Start, TimeSpan Duration)
{
    public const string Format = "sensorId:code:level:duration[@start], durations like 90s, 5m, 1h";

    public bool IsActiveAt(TimeSpan elapsed) => elapsed >= Start && elapsed < Start + Duration;

    public override string ToString() =>
        $"{SensorId} {PollutantCode} ≈{Level} from +{Start:c} for {Duration:c}";

    public static Exceedance Parse(string spec) =>
        TryParse(spec, out var exceedance, out var error) ? exceedance : throw new FormatException(error);

    /// <summary>Parses "sensor-0003:a34004:240:5m" or "sensor-0003:a34004:240:5m@30s".</summary>
    public static bool TryParse(string spec, out Exceedance exceedance, out string error)
    {
        exceedance = null!;
        error = $"exceedance \"{spec}\" is not {Format}";
        var parts = spec.Trim().Split(':');
        if (parts.Length != 4 || parts[0].Length == 0 || parts[1].Length == 0) return false;
        if (!double.TryParse(parts[2], NumberStyles.Float, CultureInfo.InvariantCulture, out var level) || level < 0) return false;

        var timing = parts[3].Split('@');
        var start = TimeSpan.Zero;
        if (timing.Length > 2 || !TryParseDuration(timing[0], out var duration)
            || (timing.Length == 2 && !TryParseDuration(timing[1], out start)))
            return false;

        exceedance = new Exceedance(parts[0], parts[1], level, start, duration);
        error = "";
        return true;
    }

    static bool TryParseDuration(string text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (text.Length < 2) return false;
        Func<double, TimeSpan>? unit = text[^1] switch
        {
            's' => TimeSpan.FromSeconds,
            'm' => TimeSpan.FromMinutes,
            'h' => TimeSpan.FromHours,
            _ => null,
        };
        if (unit is null || !double.TryParse(text[..^1], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount) || amount < 0)
            return false;
        duration = unit(amount);
        return true;
    }
}
