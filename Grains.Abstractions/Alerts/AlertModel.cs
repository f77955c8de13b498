using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.Alerts;

/// <summary>Ordered from least to most severe, so a repeat can only raise it (unless its condition says it follows the measurement).</summary>
public enum AlertSeverity { Warning, Minor, Major, Critical }

public enum AlertState { ActiveUnacknowledged, Acknowledged, Cleared }

public static class AlertNames
{
    public static string Name(this AlertSeverity severity) => severity.ToString().ToLowerInvariant();

    public static bool TryParseSeverity(string? text, out AlertSeverity severity) =>
        Enum.TryParse(text, ignoreCase: true, out severity) && Enum.IsDefined(severity);

}

/// <summary>One alert per (device, type) at a time; the grain of that key holds it.</summary>
[GenerateSerializer, Immutable, Alias("alert-key")]
public readonly record struct AlertKey(DeviceKind Kind, string DeviceId, string Type)
{
    public string GrainKey => $"{Kind.Name()}/{DeviceId}/{Type}";

    public static AlertKey Parse(string grainKey)
    {
        var parts = grainKey.Split('/', 3);
        if (parts.Length != 3 || !DeviceKinds.TryParse(parts[0], out var kind))
            throw new FormatException($"Not an alert key: '{grainKey}'");
        return new AlertKey(kind, parts[1], parts[2]);
    }
}

/// <summary>A condition that holds now: raises the alert, or refreshes the one already active.</summary>
/// <param name="SeverityFollows">
/// The alert takes this severity even when lower (a measured exceedance easing off); otherwise a repeat only raises it.
/// </param>
/// <param name="Peak">The worst value of the condition since the alert opened, and when; kept on the alert.</param>
[GenerateSerializer, Immutable, Alias("alert-condition")]
public sealed record AlertCondition(
    DateTimeOffset At,
    AlertSeverity Severity,
    string Title,
    GeoPoint? Position,
    double? Value = null,
    double? Limit = null,
    string? Unit = null,
    bool SeverityFollows = false,
    double? Peak = null,
    DateTimeOffset? PeakAt = null);

[GenerateSerializer, Immutable, Alias("alert")]
public sealed record Alert(
    string Id,
    AlertKey Key,
    Network Network,
    AlertSeverity Severity,
    AlertState State,
    string Title,
    GeoPoint? Position,
    DateTimeOffset FirstAt,
    DateTimeOffset LastAt,
    int Occurrences,
    double? Value,
    double? Limit,
    string? Unit,
    string? AcknowledgedBy,
    DateTimeOffset? AcknowledgedAt,
    string? ClearedBy,
    DateTimeOffset? ClearedAt,
    IReadOnlyList<string>? Cameras = null,
    double? Peak = null,
    DateTimeOffset? PeakAt = null)
{
    public bool IsActive => State != AlertState.Cleared;
}
