namespace CommandCenter.Examples.LiveClient;

// The shapes the hub sends and takes, as plain records: a client needs nothing of the server's code.
// Enumerations arrive as kebab-case strings ("city-management", "critical", "active-unacknowledged").

/// <summary>A rectangle of latitude and longitude, in degrees.</summary>
public sealed record BoundingBox(double South, double West, double North, double East);

/// <summary>What to receive; every part is optional.</summary>
public sealed record LiveFilter(IReadOnlyList<string>? Networks = null, string? MinSeverity = null, BoundingBox? Area = null, bool Devices = true);

public sealed record Position(double Lat, double Lon);

public sealed record AlertKey(string Kind, string DeviceId, string Type);

public sealed record AlertInfo(string Id, AlertKey Key, string Network, string Severity, string State, string Title,
    Position? Position, DateTimeOffset FirstAt, DateTimeOffset LastAt, int Occurrences, double? Value, double? Limit, string? Unit);

public sealed record DeviceInfo(string Kind, string Id, bool Online, DateTimeOffset? LastSeen, Position? Position,
    IReadOnlyDictionary<string, double>? Readings);

/// <summary>One item of the stream: <c>subscribed</c> first, then <c>alert</c> and <c>devices</c> events in id order.</summary>
public sealed record LiveEvent(long Id, string Type, string? Change, AlertInfo? Alert, IReadOnlyList<DeviceInfo>? Devices,
    IReadOnlyList<string>? Forgotten, bool? Resumed, bool? TooOld, IReadOnlyList<AlertInfo>? Alerts);
