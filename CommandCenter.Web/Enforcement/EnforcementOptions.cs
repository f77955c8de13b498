namespace CommandCenter.Web.Enforcement;

public sealed class EnforcementOptions
{
    public const string Section = "Enforcement";

    /// <summary>A cleared exceedance stays in the officers' queue this long after clearing (default 7 days).</summary>
    public TimeSpan QueueClearedWithin { get; set; } = TimeSpan.FromDays(7);
    /// <summary>The most alerts the queue lists at once (default 500).</summary>
    public int QueueLimit { get; set; } = 500;
    /// <summary>Level of the incident opened when an officer asks for an on-site inspection (1 gravest … 4 least; default 4).</summary>
    public int InspectionIncidentLevel { get; set; } = 4;

    public bool IsValid() => QueueClearedWithin >= TimeSpan.Zero && QueueLimit is > 0 and <= 10_000 && InspectionIncidentLevel is >= 1 and <= 4;
}
