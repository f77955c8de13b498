using CommandCenter.DeviceGateway.Contract;
using CommandCenter.Grains.Devices;

namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>Who is behind an MQTT connection: a registered device, or a trusted gateway user (a bridge, a load generator).</summary>
public abstract record MqttIdentity(string Name)
{
    /// <summary>Where the identity of a connection is kept among MQTTnet's session items.</summary>
    public const string SessionItem = "cc.identity";
}

public sealed record DeviceIdentity(DeviceKind Kind, string Id) : MqttIdentity(Id);

public sealed record GatewayUserIdentity(string User) : MqttIdentity(User);

/// <summary>The command center itself, publishing commands to devices.</summary>
public sealed record CommandCenterIdentity() : MqttIdentity("command-center");

/// <summary>
/// What each identity may do on the broker: a device speaks only for itself, under
/// <c>cc/{its kind}/{its id}/…</c>, and listens only to its own command topic; a gateway user may
/// publish and subscribe for every device (it is trusted to say which device speaks).
/// </summary>
public static class DeviceAcl
{
    public const string CommandChannel = "cmd";

    public static string OwnPrefix(DeviceIdentity device) => $"{DeviceMessageParser.TopicPrefix}/{device.Kind.Name()}/{device.Id}/";

    public static bool MayPublish(MqttIdentity identity, string topic) => identity switch
    {
        DeviceIdentity device => topic.StartsWith(OwnPrefix(device), StringComparison.Ordinal) && topic.Length > OwnPrefix(device).Length,
        GatewayUserIdentity => topic.StartsWith($"{DeviceMessageParser.TopicPrefix}/", StringComparison.Ordinal),
        _ => false,
    };

    /// <summary>A device's filter must be exactly its command topic: no wildcards, nobody else's traffic.</summary>
    public static bool MaySubscribe(MqttIdentity identity, string filter) => identity switch
    {
        DeviceIdentity device => filter == OwnPrefix(device) + CommandChannel,
        GatewayUserIdentity => filter.StartsWith($"{DeviceMessageParser.TopicPrefix}/", StringComparison.Ordinal),
        _ => false,
    };
}
