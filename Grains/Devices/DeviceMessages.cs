using CommandCenter.Grains.Alerts;

namespace CommandCenter.Grains.Devices;

[GenerateSerializer, Immutable, Alias("geo-point")]
public readonly record struct GeoPoint(double Lat, double Lon);

[GenerateSerializer, Immutable, Alias("sensor-reading")]
public sealed record SensorReading(DateTimeOffset Ts, IReadOnlyDictionary<string, double> Values, GeoPoint? Position = null);

[GenerateSerializer, Immutable, Alias("handheld-fix")]
public sealed record HandheldFix(DateTimeOffset Ts, GeoPoint Position, double Battery,
    double? Speed = null, double? Heading = null, double? Accuracy = null);

[GenerateSerializer, Immutable, Alias("device-status")]
public sealed record DeviceStatusReport(DateTimeOffset Ts, bool Online, GeoPoint? Position = null);

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
    IReadOnlyList<string> ExceededPollutants)
{
    public string Key => $"{Kind.Name()}/{Id}";
}
