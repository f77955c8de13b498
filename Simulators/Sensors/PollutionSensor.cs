using System.Text.Json;
using CommandCenter.Simulators.Devices;

namespace CommandCenter.Simulators.Sensors;

/// <summary>A fixed air-quality monitor reporting every configured pollutant, plus any episode injected into it.</summary>
public sealed class PollutionSensor(
    string id, GeoPoint position, double siteFactor, AirOptions air, DailyCycle cycle,
    IReadOnlyList<Exceedance> exceedances, Random random)
    : SimulatedDevice(DeviceKind.Sensor, id, DeviceChannel.Telemetry)
{
    static readonly PollutantProfile UnprofiledPollutant = new();

    public GeoPoint Position { get; } = position;

    public override DevicePublication Report(SimulationMoment moment)
    {
        var telemetry = new SensorTelemetry(moment.DeviceTime, Measure(moment), Position.Latitude, Position.Longitude);
        return Publish(JsonSerializer.SerializeToUtf8Bytes(telemetry, DeviceJsonContext.Default.SensorTelemetry));
    }

    /// <summary>The values of one report, whichever protocol carries them.</summary>
    public Dictionary<string, double> Measure(SimulationMoment moment)
    {
        var hourOfDay = moment.DeviceTime.TimeOfDay.TotalHours;
        var values = new Dictionary<string, double>(air.Pollutants.Count);
        foreach (var (code, profile) in air.Pollutants)
            values[code] = Measure(profile, cycle.ExpectedLevel(profile, siteFactor, hourOfDay));

        foreach (var exceedance in exceedances)
        {
            if (!exceedance.IsActiveAt(moment.Elapsed)) continue;
            var profile = air.Pollutants.GetValueOrDefault(exceedance.PollutantCode, UnprofiledPollutant);
            values[exceedance.PollutantCode] = Measure(profile, exceedance.Level);
        }

        return values;
    }

    double Measure(PollutantProfile profile, double expected) =>
        Math.Round(Math.Max(0, expected * (1 + profile.Noise * random.NextGaussian())), profile.Decimals);
}
