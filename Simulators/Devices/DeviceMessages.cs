using System.Text.Json.Serialization;

namespace CommandCenter.Simulators.Devices;

// Payloads exactly as docs/device-contract.md describes them; property order is the JSON order, "ts" first.

public sealed record HandheldTelemetry(
    DateTimeOffset Ts, double Lat, double Lon, double Battery, double Speed, double Heading, double Accuracy);

public sealed record SensorTelemetry(DateTimeOffset Ts, Dictionary<string, double> Values, double Lat, double Lon);

public sealed record DeviceStatus(DateTimeOffset Ts, bool Online, double Lat, double Lon);

/// <summary>A handheld moving its unit in the dispatch workflow: en-route, on-scene, done.</summary>
public sealed record UnitEventPayload(DateTimeOffset Ts, string Type, string? Text = null);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(HandheldTelemetry))]
[JsonSerializable(typeof(SensorTelemetry))]
[JsonSerializable(typeof(DeviceStatus))]
[JsonSerializable(typeof(UnitEventPayload))]
public sealed partial class DeviceJsonContext : JsonSerializerContext;
