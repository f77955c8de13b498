namespace CommandCenter.Web.LiveHub;

public sealed class LiveHubOptions
{
    public const string Section = "Hub";

    /// <summary>Alert events kept for clients that reconnect with the last event id they saw; older ones are forgotten.</summary>
    public int CatchUpEvents { get; set; } = 10_000;

    /// <summary>
    /// Pushes of the live board queued for one client (a push is a batch of alerts, or one interval's device changes).
    /// A client that falls this far behind has its subscription ended and resubscribes with its last event id.
    /// </summary>
    public int ClientQueue { get; set; } = 256;

    public bool IsValid() => CatchUpEvents > 0 && ClientQueue > 0;
}
