using CommandCenter.Grains.Devices;

namespace CommandCenter.DeviceGateway.Registry;

/// <summary>A registered device. <see cref="SecretHash"/> is null for a device that has no MQTT secret yet (it cannot connect).</summary>
public sealed record DeviceRecord(
    string Id, DeviceKind Kind, string? Name, double? Lat, double? Lon, string? District,
    string? SecretHash, DateTimeOffset RegisteredAt, DateTimeOffset UpdatedAt, string? Profile = null)
{
    public bool HasSecret => SecretHash is not null;
}

/// <summary>What a registration asks for; null fields keep what is registered.</summary>
/// <param name="Profile">A sensor's pollution profile (<c>ambient</c>, <c>source</c> or a configured one): which limits judge it.</param>
public sealed record DeviceRegistration(string? Secret, string? Name, double? Lat, double? Lon, string? District, string? Profile = null);

public enum RegistrationOutcome { Created, Updated, KindConflict, SecretRequired, Invalid }

public sealed record RegistrationResult(RegistrationOutcome Outcome, DeviceRecord? Device, string? Error = null);

/// <summary>What the registry remembers of an id and secret: checked right, checked wrong, or never checked (a PBKDF2 run needed).</summary>
public enum SecretRecall { NoSuchDevice, Verified, Refused, Unchecked }
