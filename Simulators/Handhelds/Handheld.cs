using System.Text.Json;
using CommandCenter.Simulators.Devices;

namespace CommandCenter.Simulators.Handhelds;

/// <summary>A field inspector's handheld: reports where the inspector is walking and how full its battery is.</summary>
public sealed class Handheld(string id, StreetWalk walk, double initialBattery, WalkOptions options, Random random)
    : SimulatedDevice(DeviceKind.Handheld, id, DeviceChannel.Telemetry)
{
    const int CoordinateDecimals = 6;  // about 0.1 m
    const int BatteryDecimals = 3;
    const int SpeedDecimals = 2;

    double battery = initialBattery;
    TimeSpan lastReport;

    public override DevicePublication Report(SimulationMoment moment)
    {
        var sinceLastReport = moment.Elapsed - lastReport;
        lastReport = moment.Elapsed;
        walk.Advance(sinceLastReport);
        battery = Math.Max(0, battery - options.BatteryDrainPerHour * sinceLastReport.TotalHours);

        var measured = walk.Position.OffsetBy(
            random.NextGaussian() * options.GpsAccuracyMeters, random.NextGaussian() * options.GpsAccuracyMeters);
        var telemetry = new HandheldTelemetry(
            moment.DeviceTime,
            Math.Round(measured.Latitude, CoordinateDecimals),
            Math.Round(measured.Longitude, CoordinateDecimals),
            Math.Round(battery, BatteryDecimals),
            Math.Round(walk.Speed, SpeedDecimals),
            walk.Heading,
            options.GpsAccuracyMeters);
        return Publish(JsonSerializer.SerializeToUtf8Bytes(telemetry, DeviceJsonContext.Default.HandheldTelemetry));
    }
}
