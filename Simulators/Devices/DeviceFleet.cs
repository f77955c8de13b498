using System.Globalization;
using Microsoft.Extensions.Logging;
using CommandCenter.Simulators.Handhelds;
using CommandCenter.Simulators.Hosting;
using CommandCenter.Simulators.Sensors;

namespace CommandCenter.Simulators.Devices;

/// <summary>The simulated devices, created once: the scheduler drives them, the registrar announces the cameras.</summary>
public sealed record SimulatedFleet(IReadOnlyList<SimulatedDevice> Devices)
{
    public IEnumerable<CameraStatusDevice> Cameras => Devices.OfType<CameraStatusDevice>();

    public static SimulatedFleet Create(SimulatorOptions options, ILogger logger)
    {
        var random = options.Seed == 0 ? new Random() : new Random(options.Seed);
        var exceedances = options.ExceedanceSpecs.Select(Exceedance.Parse).ToList();
        return new SimulatedFleet(DeviceFleet.Create(options, exceedances, random, logger));
    }
}

/// <summary>Creates the configured devices: handhelds first, then sensors, then cameras.</summary>
public static class DeviceFleet
{
    const int MinimumIdDigits = 4;

    public static IReadOnlyList<SimulatedDevice> Create(
        SimulatorOptions options, IReadOnlyList<Exceedance> exceedances, Random random, ILogger logger)
    {
        var devices = new List<SimulatedDevice>(options.DeviceCount);

        foreach (var id in Ids("hh", options.FirstDeviceNumber, options.Handhelds))
        {
            var walk = new StreetWalk(options.Area, options.Walk, random);
            devices.Add(new Handheld(id, walk, random.NextBetween(options.Walk.InitialBatteryMin, 1), options.Walk, random));
        }

        var centre = new GeoPoint(options.Area.CenterLatitude, options.Area.CenterLongitude);
        var cycle = new DailyCycle(options.Air);
        var unclaimed = exceedances.ToList();
        var sensorSites = new List<GeoPoint>();
        foreach (var id in Ids("sensor", options.FirstDeviceNumber, options.Sensors))
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
            sensorSites.Add(position);
            logger.LogDebug("{SensorId} stands at {Latitude:F6}, {Longitude:F6}", id, position.Latitude, position.Longitude);
        }
        foreach (var exceedance in unclaimed)
            logger.LogWarning("Exceedance for {SensorId} ignored: there is no such sensor", exceedance.SensorId);

        var cameraNumber = 0;
        foreach (var id in Ids("cam", 1, options.Cameras))
        {
            var site = cameraNumber < sensorSites.Count
                ? Watching(sensorSites[cameraNumber], options.CameraView, random)
                : new CameraSite(random.NextPointWithin(centre, options.Area.PatrolRadiusMeters), random.NextBetween(0, 360),
                    options.CameraView.FieldOfView, options.CameraView.Range);
            devices.Add(new CameraStatusDevice(id, site));
            cameraNumber++;
        }

        return devices;
    }

    /// <summary>The first cameras stand near the first sensors and look at them, so a pollution alert has a picture.</summary>
    static CameraSite Watching(GeoPoint sensor, CameraViewOptions view, Random random)
    {
        var bearing = random.NextBetween(0, 2 * Math.PI);
        var position = sensor.OffsetBy(view.DistanceFromSensor * Math.Sin(bearing), view.DistanceFromSensor * Math.Cos(bearing));
        var heading = (double.RadiansToDegrees(bearing) + 180) % 360;
        return new CameraSite(position, heading, view.FieldOfView, view.Range);
    }

    /// <summary>"hh-0001", "hh-0002", …; wider when there are more than 9999.</summary>
    static IEnumerable<string> Ids(string prefix, int first, int count)
    {
        var format = IdFormat(prefix, first - 1 + count);
        return Enumerable.Range(first, count).Select(n => string.Format(CultureInfo.InvariantCulture, format, n));
    }

    /// <summary>The composite format of the ids <see cref="Ids"/> makes, e.g. "cam-{0:0000}".</summary>
    public static string IdFormat(string prefix, int count) =>
        $"{prefix}-{{0:{new string('0', Math.Max(MinimumIdDigits, count.ToString(CultureInfo.InvariantCulture).Length))}}}";

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
