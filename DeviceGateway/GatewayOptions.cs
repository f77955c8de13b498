namespace CommandCenter.DeviceGateway;

public sealed class GatewayOptions
{
    public const string Section = "Gateway";

    public TimeSpan RejectLogInterval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>After the first delivery failure, one in this many is logged.</summary>
    public int FailureLogEvery { get; set; } = 1000;
}

public sealed class MqttOptions
{
    public const string Section = "Mqtt";

    /// <summary>Run the MQTT broker inside this process (the default for one machine).</summary>
    public bool EmbeddedBroker { get; set; } = true;
    /// <summary>
    /// Address the embedded broker listens on; default 127.0.0.1. Devices on the network need the listening
    /// address here, which the host allows only once the shipped passwords and API keys are changed.
    /// </summary>
    public string BindAddress { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1883;
    /// <summary>Messages a slow subscriber may have queued before the oldest are dropped.</summary>
    public int MaxPendingMessagesPerClient { get; set; } = 10_000;
}
