namespace CommandCenter.Grains.Live;

public sealed class LiveFeedOptions
{
    public const string Section = "LiveFeed";

    /// <summary>
    /// Device changes made on a node are gathered this long (coalesced per device) before they go to every node;
    /// alerts and incidents go at once. Default 100 ms.
    /// </summary>
    public TimeSpan BatchInterval { get; set; } = TimeSpan.FromMilliseconds(100);

    /// <summary>How often a node registers its observer again; a node not heard for three of these drops out. Default 10 s.</summary>
    public TimeSpan RenewInterval { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Batches waiting for one slow node; beyond this the oldest is dropped (counted and logged). Default 1,000.</summary>
    public int MaxPendingBatches { get; set; } = 1_000;

    public bool IsValid() => BatchInterval > TimeSpan.Zero && RenewInterval > TimeSpan.Zero && MaxPendingBatches > 0;
}
