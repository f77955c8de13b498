using CommandCenter.Grains.Alerts;

namespace CommandCenter.Grains.Devices;

[GenerateSerializer, Immutable, Alias("geo-point")]
public readonly record struct GeoPoint(double Lat, double Lon)
{
    private const double EarthRadiusMeters = 6_371_000;

    /// <summary>Great-circle (haversine) distance to <paramref name="other"/>, in metres.</summary>
    public double DistanceMetersTo(GeoPoint other)
    {
        var dLat = double.DegreesToRadians(other.Lat - Lat);
        var dLon = double.DegreesToRadians(other.Lon - Lon);
        var h = Math.Pow(Math.Sin(dLat / 2), 2)
            + Math.Cos(double.DegreesToRadians(Lat)) * Math.Cos(double.DegreesToRadians(other.Lat)) * Math.Pow(Math.Sin(dLon / 2), 2);
        return 2 * EarthRadiusMeters * Math.Asin(Math.Sqrt(h));
    }
}

[GenerateSerializer, Immutable, Alias("sensor-reading")]
/// <param name="Flags">
/// HJ 212 data flag per pollutant code (N normal, F stopped, M maintenance, S set by hand, D fault, C calibrating,
/// T over range, B communication error); a code without one is N. Only N values are judged against limits.
/// </param>
public sealed record SensorReading(DateTimeOffset Ts, IReadOnlyDictionary<string, double> Values, GeoPoint? Position = null,
    IReadOnlyDictionary<string, string>? Flags = null)
{
    public const string NormalFlag = "N";

    public string FlagOf(string code) => Flags?.GetValueOrDefault(code) ?? NormalFlag;
}

/// <summary>An average over a period (HJ 212 minute, hour or day data) of one pollutant, as the monitor computed it.</summary>
[GenerateSerializer, Immutable, Alias("pollutant-average")]
public sealed record PollutantAverage(string Period, double? Avg, double? Min, double? Max, string Flag, DateTimeOffset At);

/// <summary>Averages a monitor reported for one period ending at one time, by pollutant code.</summary>
[GenerateSerializer, Immutable, Alias("sensor-averages")]
public sealed record SensorAverages(DateTimeOffset Ts, IReadOnlyDictionary<string, PollutantAverage> Values);

[GenerateSerializer, Immutable, Alias("handheld-fix")]
public sealed record HandheldFix(DateTimeOffset Ts, GeoPoint Position, double Battery,
    double? Speed = null, double? Heading = null, double? Accuracy = null);

/// <param name="Position">Where the device is now, when it says (a camera re-mounted or on a vehicle).</param>
/// <param name="Heading">Where a camera looks now, degrees from north, when it says (a dome camera turned by its operator).</param>
[GenerateSerializer, Immutable, Alias("device-status")]
public sealed record DeviceStatusReport(DateTimeOffset Ts, bool Online, GeoPoint? Position = null, double? Heading = null);

[GenerateSerializer, Immutable, Alias("device-event")]
public sealed record DeviceEvent(DateTimeOffset Ts, string Type, AlertSeverity Severity, string? Text);

/// <summary>What a screen needs to show about one device; published on every change.</summary>
[GenerateSerializer, Immutable, Alias("device-snapshot")]
public sealed record DeviceSnapshot(
    DeviceKind Kind,
    string Id,
    bool Online,
    DateTimeOffset? LastSeen,
    DateTimeOffset? LastReport,
    GeoPoint? Position,
    double? Battery,
    IReadOnlyDictionary<string, double> Readings,
    IReadOnlyList<string> ExceededPollutants,
    CameraView? View = null,
    bool? StreamOnline = null,
    IReadOnlyDictionary<string, PollutantAverage>? Averages = null,
    Dispatch.UnitState? Unit = null,
    Pollution.AirQuality? Air = null)
{
    public string Key => $"{Kind.Name()}/{Id}";
}

/// <summary>Where a camera looks: compass heading and field of view in degrees, range in metres.</summary>
[GenerateSerializer, Immutable, Alias("camera-view")]
public sealed record CameraView(double Heading, double FieldOfView, double Range);

/// <summary>
/// A camera as registered by the city: where it is, where it looks and where to pull its stream.
/// The stream URL may carry credentials and never leaves the server.
/// </summary>
[GenerateSerializer, Immutable, Alias("camera-registration")]
public sealed record CameraRegistration(Uri StreamUrl, GeoPoint Position, CameraView View, string? Name = null);
