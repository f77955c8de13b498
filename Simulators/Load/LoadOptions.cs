namespace CommandCenter.Simulators.Load;

public sealed class LoadOptions
{
    /// <summary>Total publish rate of all devices together; 0 keeps each kind's own interval.</summary>
    public double MessagesPerSecond { get; set; }

    public bool IsEnabled => MessagesPerSecond > 0;
}
