namespace CommandCenter.Grains.Dispatch;

public sealed class DispatchOptions
{
    public const string Section = "Dispatch";

    /// <summary>How long a task waits for the handheld's acknowledgement before it is sent again (default 60 s); the
    /// re-send waits twice as long (the command contract's back-off), then the dispatcher is told to choose another unit.</summary>
    public TimeSpan AckTimeout { get; set; } = TimeSpan.FromSeconds(60);
    /// <summary>Sends of one task, the first included, before it is flagged unanswered (default 2: sent, then re-sent once).</summary>
    public int Attempts { get; set; } = 2;
    /// <summary>A unit on its way whose handheld reports a position this close to the incident is on scene (default 50 m).</summary>
    public double ArrivalRadiusMeters { get; set; } = 50;
    /// <summary>Idempotency keys of status moves a handheld remembers (default 64), so a phone re-sending its queue applies nothing twice.</summary>
    public int RememberedMoveKeys { get; set; } = 64;

    public bool IsValid() => AckTimeout > TimeSpan.Zero && Attempts is >= 1 and <= 10 && ArrivalRadiusMeters is > 0 and <= 10_000
        && RememberedMoveKeys is >= 1 and <= 10_000;
}
