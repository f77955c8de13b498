namespace CommandCenter.Simulators.Handhelds;

/// <summary>How inspectors walk and how their handhelds behave.</summary>
public sealed class WalkOptions
{
    public double SpeedMetersPerSecond { get; set; } = 1.4;

    /// <summary>Each inspector's own pace differs from the average by up to this fraction.</summary>
    public double SpeedVariation { get; set; } = 0.2;

    /// <summary>Chance of turning left or right at a corner instead of going straight on.</summary>
    public double TurnProbability { get; set; } = 0.35;

    /// <summary>Standard deviation of the GPS error added to each position; also reported as "accuracy".</summary>
    public double GpsAccuracyMeters { get; set; } = 5;

    /// <summary>Batteries start between this level and full.</summary>
    public double InitialBatteryMin { get; set; } = 0.6;

    public double BatteryDrainPerHour { get; set; } = 0.06;

    /// <summary>How fast an inspector sent to an incident goes there, straight (default 6 m/s: an e-bike).</summary>
    public double TaskSpeedMetersPerSecond { get; set; } = 6;

    /// <summary>How long an inspector stays on scene before reporting the task done (default 2 minutes).</summary>
    public TimeSpan OnSceneDuration { get; set; } = TimeSpan.FromMinutes(2);
}
