namespace CommandCenter.Simulators.Mqtt;

public sealed class MqttOptions
{
    public string Host { get; set; } = "127.0.0.1";
    public int Port { get; set; } = 1883;

    /// <summary>Broker connections shared by all devices; each device always uses the same one.</summary>
    public int Connections { get; set; } = 4;

    /// <summary>Client ids are "{prefix}-{process id}-{n}", so that two simulator processes do not take over each other's sessions.</summary>
    public string ClientIdPrefix { get; set; } = "sim";

    public TimeSpan KeepAlive { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>How long to wait for the broker to accept a connection or acknowledge a QoS 1 publish.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>First wait before reconnecting; doubles on every failed attempt up to <see cref="MaxReconnectDelay"/>.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(1);
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Publishes awaiting the broker per connection; QoS 1 waits for a round trip, so one at a time would cap the rate.</summary>
    public int MaxInFlight { get; set; } = 256;
}
