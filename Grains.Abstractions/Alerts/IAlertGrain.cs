namespace CommandCenter.Grains.Alerts;

/// <summary>Keyed by <see cref="AlertKey.GrainKey"/>: holds the one open alert of that device and type.</summary>
public interface IAlertGrain : IGrainWithStringKey
{
    Task<Alert> Raise(AlertCondition condition);
    /// <summary>The condition is gone: clears whatever alert is open.</summary>
    Task Clear(DateTimeOffset at, string by);
    /// <summary>An operator clears this alert by hand; false when <paramref name="alertId"/> is no longer open.</summary>
    Task<bool> ClearByHand(string alertId, string by);
    /// <returns>The alert after acknowledging, or null when <paramref name="alertId"/> is no longer open.</returns>
    Task<Alert?> Acknowledge(string alertId, string by);
    Task<Alert?> GetCurrent();
}
