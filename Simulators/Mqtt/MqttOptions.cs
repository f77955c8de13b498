namespace CommandCenter.Simulators.Mqtt;

public sealed class MqttOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1883;

    /// <summary>
    /// More brokers to fail over to, as "host:port,host:port" (default none): the other nodes of a cluster. A
    /// connection starts at <see cref="Host"/>:<see cref="Port"/>; when it drops and connecting there again fails, it
    /// moves to the next broker of the list (and round), and resends the QoS 1 messages the lost broker never acknowledged.
    /// </summary>
    public string Brokers { get; set; } = "";

    /// <summary>QoS 1 messages a connection keeps for resending while no broker has acknowledged them (default 10,000); beyond, they count as unsent.</summary>
    public int MaxUnacknowledged { get; set; } = 10_000;

    /// <summary><see cref="Host"/>:<see cref="Port"/> first, then each of <see cref="Brokers"/> not already listed.</summary>
    public IReadOnlyList<(string Host, int Port)> BrokerList()
    {
        var list = new List<(string Host, int Port)> { (Host, Port) };
        foreach (var entry in Brokers.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var colon = entry.LastIndexOf(':');
            if (colon <= 0 || !int.TryParse(entry[(colon + 1)..], out var port) || port is < 1 or > 65535)
                throw new FormatException($"Mqtt:Brokers entry '{entry}' is not host:port");
            var broker = (entry[..colon], port);
            if (!list.Contains(broker)) list.Add(broker);
        }
        return list;
    }

    /// <summary>
    /// Connections shared by all devices when <see cref="UserName"/> is set (each device always uses the same one);
    /// without it every device has a connection of its own, as a real one does.
    /// </summary>
    public int Connections { get; set; } = 4;

    /// <summary>
    /// A gateway user of the command center (<c>Mqtt:GatewayUsers</c>) that may publish for every device; empty (the
    /// default) makes each device connect as itself. Load mode uses one: 20,000 devices on 20,000 connections would
    /// measure the connection count, and registering each would cost a PBKDF2 run per device.
    /// </summary>
    public string UserName { get; set; } = "";
    public string Password { get; set; } = "";

    /// <summary>
    /// Each device's secret is derived from this and its id (HMAC-SHA256, base64url, 32 characters), so that a restarted
    /// simulator registers the same secrets again; change it for any command center that faces a network.
    /// </summary>
    public string SecretSeed { get; set; } = "baiyin-simulator-seed";

    public bool SharesConnections => !string.IsNullOrEmpty(UserName);

    public string SecretOf(string deviceId) =>
        Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(
                System.Text.Encoding.UTF8.GetBytes(SecretSeed), System.Text.Encoding.UTF8.GetBytes(deviceId)))
            .Replace('+', '-').Replace('/', '_')[..32];

    /// <summary>Shared connections' client ids are "{prefix}-{process id}-{n}", so that two simulator processes do not take over each other's sessions; a device's own connection uses its id.</summary>
    public string ClientIdPrefix { get; set; } = "sim";

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for the broker to accept a connection or acknowledge a QoS 1 publish.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait before reconnecting; doubles on every failed attempt up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Every publish at this QoS (0 or 1) when set, for measuring one level at a time; unset (the default) follows the
    /// device contract: QoS 0 for telemetry, QoS 1 for status and events.
    /// </summary>
    public int? QualityOfService { get; set; }

    /// <summary>Publishes awaiting the broker per connection; QoS 1 waits for a round trip, so one at a time would cap the rate.</summary>
    public int MaxInFlight { get; set; } = 256;
}
