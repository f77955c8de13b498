namespace CommandCenter.Grains.Alerts;

/// <summary>Keyed by <see cref="AlertKey.GrainKey"/>: holds the one open alert of that device and type.</summary>
public interface IAlertGrain : IGrainWithStringKey
{
    Task<Alert> Raise(AlertCondition condition);
    Task Clear(DateTimeOffset at, string by);
    /// <returns>The alert after acknowledging, or null when <paramref name="alertId"/> is no longer open.</returns>
    Task<Alert?> Acknowledge(string alertId, string by);
    Task<Alert?> GetCurrent();
}
