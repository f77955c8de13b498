using System.Text.Json;
using CommandCenter.Simulators.Devices;

namespace CommandCenter.Simulators.Handhelds;

/// <summary>
/// A field inspector's handheld: reports where the inspector is walking and how full its battery is. Sent to an
/// incident (a <c>task</c> command) it accepts, says it is on its way, goes there straight, says it is on scene,
/// stays a while, says it is done and goes back to its patrol (docs/dispatch.md, "The handheld's side").
/// </summary>
public sealed class Handheld(string id, StreetWalk walk, double initialBattery, WalkOptions options, Random random)
    : SimulatedDevice(DeviceKind.Handheld, id, DeviceChannel.Telemetry), ICommandTaker
{
    const int CoordinateDecimals = 6;  // about 0.1 m
    const int BatteryDecimals = 3;
    const int SpeedDecimals = 2;
    const double ArrivedWithinMeters = 5;

    enum Leg { Started, OnTheWay, OnScene }

    /// <summary>A task being worked on; written by the MQTT thread (<see cref="Take"/>), read by the scheduler.</summary>
    sealed record Assignment(string CmdId, GeoPoint Place)
    {
        public Leg Leg { get; set; }
        public TimeSpan ArrivedAt { get; set; }
    }

    readonly Lock taskLock = new();
    readonly Queue<string> events = new();
    double battery = initialBattery;
    TimeSpan lastReport;
    Assignment? task;
    GeoPoint? position;

    public string Take(string cmdId, string? type, JsonElement args)
    {
        if (type != "task") return "ok";
        lock (taskLock)
        {
            if (task?.CmdId == cmdId) return "accepted";
            if (task is not null) return "rejected";
            if (args.ValueKind != JsonValueKind.Object || !args.TryGetProperty("lat", out var lat) || !args.TryGetProperty("lon", out var lon)
                || !lat.TryGetDouble(out var latitude) || !lon.TryGetDouble(out var longitude))
                return "rejected";
            task = new Assignment(cmdId, new GeoPoint(latitude, longitude));
            return "accepted";
        }
    }

    public override DevicePublication Report(SimulationMoment moment)
    {
        var sinceLastReport = moment.Elapsed - lastReport;
        lastReport = moment.Elapsed;
        battery = Math.Max(0, battery - options.BatteryDrainPerHour * sinceLastReport.TotalHours);
        var (here, speed, heading) = Move(moment, sinceLastReport);

        var measured = here.OffsetBy(
            random.NextGaussian() * options.GpsAccuracyMeters, random.NextGaussian() * options.GpsAccuracyMeters);
        var telemetry = new HandheldTelemetry(
            moment.DeviceTime,
            Math.Round(measured.Latitude, CoordinateDecimals),
            Math.Round(measured.Longitude, CoordinateDecimals),
            Math.Round(battery, BatteryDecimals),
            Math.Round(speed, SpeedDecimals),
            heading,
            options.GpsAccuracyMeters);
        return Publish(JsonSerializer.SerializeToUtf8Bytes(telemetry, DeviceJsonContext.Default.HandheldTelemetry));
    }

    public override DevicePublication? TakeEvent(SimulationMoment moment) =>
        events.TryDequeue(out var type)
            ? new DevicePublication($"cc/handheld/{Id}/event", DeviceChannel.Event,
                JsonSerializer.SerializeToUtf8Bytes(new UnitEventPayload(moment.DeviceTime, type), DeviceJsonContext.Default.UnitEventPayload))
            : null;

    /// <summary>Patrols the street grid, or works on the task: where the inspector is now, how fast and which way.</summary>
    (GeoPoint Here, double Speed, double Heading) Move(SimulationMoment moment, TimeSpan elapsed)
    {
        Assignment? current;
        lock (taskLock) current = task;
        if (current is null)
        {
            walk.Advance(elapsed);
            return (walk.Position, walk.Speed, walk.Heading);
        }
        var here = position ?? walk.Position;
        switch (current.Leg)
        {
            case Leg.Started:
                current.Leg = Leg.OnTheWay;
                events.Enqueue("en-route");
                return (here, 0, 0);
            case Leg.OnTheWay:
                var (east, north) = here.OffsetTo(current.Place);
                var distance = Math.Sqrt(east * east + north * north);
                var step = options.TaskSpeedMetersPerSecond * elapsed.TotalSeconds;
                var heading = (double.RadiansToDegrees(Math.Atan2(east, north)) + 360) % 360;
                if (distance - step <= ArrivedWithinMeters)
                {
                    position = current.Place;
                    current.Leg = Leg.OnScene;
                    current.ArrivedAt = moment.Elapsed;
                    events.Enqueue("on-scene");
                    return (current.Place, 0, heading);
                }
                position = here.OffsetBy(east / distance * step, north / distance * step);
                return (position.Value, options.TaskSpeedMetersPerSecond, heading);
            default:
                if (moment.Elapsed - current.ArrivedAt < options.OnSceneDuration) return (here, 0, 0);
                events.Enqueue("done");
                walk.ResumeFrom(here);
                position = null;
                lock (taskLock) task = null;
                return (here, 0, 0);
        }
    }
}
