using System.Text;
using CommandCenter.DeviceGateway.Contract;
using CommandCenter.DeviceGateway.Mqtt;
using CommandCenter.Grains.Devices;
using Microsoft.Extensions.Options;

namespace CommandCenter.DeviceGateway.Registry;

/// <summary>
/// The registry as mosquitto 2 files (<c>password_file</c>, <c>acl_file</c>), for an external broker that signs
/// devices in itself. Devices appear with the hash the registry stores (no secret is needed to write the file);
/// a device whose hash is in the earlier format mosquitto cannot read is left out and named, to have its secret
/// rotated. The gateway's own user (<see cref="MqttOptions.UserName"/>) and the trusted gateway users are hashed
/// from their configured passwords as the file is written.
/// </summary>
public sealed class MosquittoExport(DeviceRegistry registry, IOptions<MqttOptions> options)
{
    /// <summary>Devices with a secret mosquitto cannot check: their hash predates the <c>$7$</c> format.</summary>
    public IReadOnlyList<DeviceRecord> NeedingRotation() =>
        registry.Devices.Where(d => d.SecretHash is { } hash && !SecretHasher.IsMosquittoFormat(hash)).OrderBy(d => d.Id, StringComparer.Ordinal).ToList();

    public string PasswordFile()
    {
        var text = new StringBuilder("# mosquitto password_file written by the command center from its device registry.\n");
        foreach (var device in NeedingRotation())
            text.Append($"# left out, its secret is stored in an older hash format; rotate it: {device.Kind.Name()} {device.Id}\n");
        foreach (var (user, password) in TrustedUsers())
            text.Append($"{user}:{SecretHasher.Hash(password)}\n");
        foreach (var device in Exported())
            text.Append($"{device.Id}:{device.SecretHash}\n");
        return text.ToString();
    }

    public string AclFile()
    {
        var prefix = DeviceMessageParser.TopicPrefix;
        var text = new StringBuilder("""
            # mosquitto acl_file written by the command center from its device registry.
            # mosquitto 2.0 checks "read" as each message is delivered, so one line covers the gateways' $share/… subscriptions.

            """);
        foreach (var (user, _) in TrustedUsers())
            text.Append($"user {user}\ntopic readwrite {prefix}/#\n\n");
        foreach (var device in Exported())
        {
            // A device speaks only under its own topics and hears only its own commands.
            var own = $"{prefix}/{device.Kind.Name()}/{device.Id}";
            text.Append($"user {device.Id}\ntopic write {own}/#\ntopic read {own}/{DeviceAcl.CommandChannel}\n\n");
        }
        return text.ToString();
    }

    /// <summary>Devices mosquitto can sign in: a secret in its format, and an id no trusted user has taken.</summary>
    private IEnumerable<DeviceRecord> Exported()
    {
        var users = TrustedUsers().Select(u => u.User).ToHashSet(StringComparer.Ordinal);
        return registry.Devices
            .Where(d => d.SecretHash is { } hash && SecretHasher.IsMosquittoFormat(hash) && !users.Contains(d.Id))
            .OrderBy(d => d.Id, StringComparer.Ordinal);
    }

    /// <summary>The gateway itself and the trusted gateway users: they read and write every device's topics.</summary>
    private IEnumerable<(string User, string Password)> TrustedUsers()
    {
        var settings = options.Value;
        var users = new SortedDictionary<string, string>(settings.GatewayUsers, StringComparer.Ordinal);
        if (settings.UserName.Length > 0) users[settings.UserName] = settings.Password;
        return users.Where(u => u.Key.Length > 0 && !u.Key.Any(c => char.IsControl(c) || c is ':' or ' ')).Select(u => (u.Key, u.Value));
    }
}
