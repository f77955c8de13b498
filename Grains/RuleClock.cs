namespace CommandCenter.Grains;

/// <summary>
/// The clock the command center's own rules read: case deadlines, sensor averages, relay leases,
/// offline detection. It is the system clock (the same <see cref="TimeProvider"/> Orleans runs on)
/// unless a host registers another under <see cref="Key"/>. Tests do, to move the rules' time by hand
/// while the silo's own timers, retries and timeouts keep running on real time.
/// </summary>
public static class RuleClock
{
    /// <summary>The service key of the rules' <see cref="TimeProvider"/>.</summary>
    public const string Key = "rules";
}
