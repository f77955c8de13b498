using CommandCenter.Grains.Devices;

namespace CommandCenter.DeviceGateway.Contract;

public enum Channel { Telemetry, Status, Event }

/// <summary>A device message that passed every check of the contract, ready for its grain.</summary>
public abstract record DeviceMessage(DeviceKind Kind, string DeviceId);

public sealed record SensorTelemetry(string DeviceId, SensorReading Reading) : DeviceMessage(DeviceKind.Sensor, DeviceId);

public sealed record HandheldTelemetry(string DeviceId, HandheldFix Fix) : DeviceMessage(DeviceKind.Handheld, DeviceId);

public sealed record StatusMessage(DeviceKind Kind, string DeviceId, DeviceStatusReport Status) : DeviceMessage(Kind, DeviceId);

/// <summary>A handheld moving its unit in the dispatch workflow (en-route, on-scene, done …); raises no alert.</summary>
public sealed record UnitEventMessage(string DeviceId, CommandCenter.Grains.Dispatch.UnitEvent Event) : DeviceMessage(DeviceKind.Handheld, DeviceId);

public sealed record EventMessage(DeviceKind Kind, string DeviceId, DeviceEvent Event) : DeviceMessage(Kind, DeviceId);

/// <summary>Why a message was refused; each reason is counted separately.</summary>
public enum RejectReason
{
    Topic, Kind, Channel, DeviceId, Json, Timestamp, Field,
    /// <summary>More of something than the gateway takes in one message (e.g. pollutant codes).</summary>
    Limit,
    /// <summary>An event of a type the command center raises itself (offline, stream-lost, exceed-…).</summary>
    Reserved,
    /// <summary>An MQTT packet larger than <see cref="GatewayOptions.MaxPayloadBytes"/>: the connection is closed unread.</summary>
    Oversized,
    /// <summary>An MQTT connection refused: no credentials, an unknown device or a wrong secret.</summary>
    Auth,
    /// <summary>A publish or subscription outside what the connected device may touch (its own topics).</summary>
    Acl,
    /// <summary>HJ 212: bytes outside a frame, a length that is not four digits, or a frame not ending in CR LF.</summary>
    Frame,
    /// <summary>HJ 212: a frame whose CRC does not match its data segment.</summary>
    Crc,
    /// <summary>HJ 212: a split packet dropped incomplete (timed out, or pushed out by newer ones).</summary>
    Split,
    /// <summary>An acknowledgement or unit event that fits no command or task of the device (unknown cmdId, answered twice, no task).</summary>
    Command,
}

public sealed class RejectedMessageException(RejectReason reason, string detail) : Exception(detail)
{
    public RejectReason Reason { get; } = reason;
}
