namespace CommandCenter.Simulators.Load;

public sealed class LoadOptions
{
    /// <summary>Total publish rate of all devices together; 0 keeps each kind's own interval.</summary>
    public double MessagesPerSecond { get; set; }

    /// <summary>
    /// Max-rate mode (default off): once every device is connected, the devices report in turn as fast as the
    /// broker's acknowledgements (QoS 1) or the sockets (QoS 0, HJ 212) allow, for <see cref="MeasureFor"/>;
    /// then a result line is printed and the simulators stop. Ignores <see cref="MessagesPerSecond"/>.
    /// </summary>
    public bool MaxRate { get; set; }

    /// <summary>How long max-rate mode sends (default 20 s), counted from the moment every device is connected.</summary>
    public TimeSpan MeasureFor { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Max-rate mode waits at most this long for every device to connect (default 5 minutes), then measures with those that did.</summary>
    public TimeSpan ConnectTimeout { get; set; } = TimeSpan.FromMinutes(5);

    public bool IsEnabled => MessagesPerSecond > 0;
}
