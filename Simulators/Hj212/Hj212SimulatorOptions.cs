namespace CommandCenter.Simulators.Hj212;

/// <summary>Sensors speaking HJ 212-2017 over TCP to the command center's <c>Hj212:Port</c> instead of MQTT.</summary>
public sealed class Hj212SimulatorOptions
{
    public string Host { get; set; } = "127.0.0.1";
    /// <summary>The command center's HJ 212 port; 0 (the default) leaves the sensors on MQTT.</summary>
    public int Port { get; set; }
    /// <summary>First wait before reconnecting after a connection failed; the report that found it down is counted failed.</summary>
    public TimeSpan ReconnectDelay { get; set; } = TimeSpan.FromSeconds(2);

    public bool IsEnabled => Port > 0;
}
