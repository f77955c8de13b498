using Microsoft.Extensions.Logging;
using Simulators.Handhelds;
using Simulators.Hosting;
using Simulators.Sensors;

namespace Simulators.Devices;

/// <summary>Creates the configured devices: handhelds first, then sensors, then cameras.</summary>
public static class DeviceFleet
{
    const int MinimumIdDigits = 4;

    public static IReadOnlyList<SimulatedDevice> Create(
        SimulatorOptions options, IReadOnlyList<Exceedance> exceedances, Random random, ILogger logger)
    {
        var devices = new List<SimulatedDevice>(options.DeviceCount);

        foreach (var id in Ids("hh", options.Handhelds))
        {
            var walk = new StreetWalk(options.Area, options.Walk, random);
            devices.Add(new Handheld(id, walk, random.NextBetween(options.Walk.InitialBatteryMin, 1), options.Walk, random));
        }

        var centre = new GeoPoint(options.Area.CenterLatitude, options.Area.CenterLongitude);
        var cycle = new DailyCycle(options.Air);
        var unclaimed = exceedances.ToList();
        foreach (var id in Ids("sensor", options.Sensors))
        {
            var key = WithoutPadding(id);
            var own = unclaimed.Where(e => WithoutPadding(e.SensorId) == key).ToList();
            unclaimed.RemoveAll(own.Contains);
            own = [.. own.Select(e => e with { SensorId = id })];
            foreach (var exceedance in own)
                logger.LogInformation("Injected exceedance: {Exceedance}", exceedance);

            var position = random.NextPointWithin(centre, options.Area.SensorRadiusMeters);
            var siteFactor = 1 + random.NextBetween(-options.Air.SiteVariation, options.Air.SiteVariation);
            devices.Add(new PollutionSensor(id, position, siteFactor, options.Air, cycle, own, random));
            logger.LogDebug("{SensorId} stands at {Latitude:F6}, {Longitude:F6}", id, position.Latitude, position.Longitude);
        }
        foreach (var exceedance in unclaimed)
            logger.LogWarning("Exceedance for {SensorId} ignored: there is no such sensor", exceedance.SensorId);

        foreach (var id in Ids("cam", options.Cameras))
            devices.Add(new CameraStatusDevice(id));

        return devices;
    }

    /// <summary>"hh-0001", "hh-0002", …; wider when there are more than 9999.</summary>
    static IEnumerable<string> Ids(string prefix, int count)
    {
        var digits = Math.Max(MinimumIdDigits, count.ToString().Length);
        return Enumerable.Range(1, count).Select(n => $"{prefix}-{n.ToString().PadLeft(digits, '0')}");
    }

    /// <summary>
    /// "sensor-0001" and "sensor-00001" name the same sensor: ids widen with the count, and an exceedance
    /// written for a small fleet (like the demo's) should still find its sensor in a large one.
    /// </summary>
    static string WithoutPadding(string id)
    {
        var dash = id.LastIndexOf('-');
        return dash >= 0 && int.TryParse(id.AsSpan(dash + 1), out var number) ? $"{id[..dash]}-{number}" : id;
    }
}
