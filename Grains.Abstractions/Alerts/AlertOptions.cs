namespace CommandCenter.Grains.Alerts;

public sealed class AlertOptions
{
    public const string Section = "Alerts";

    /// <summary>Repeats of an open alert (new time, new value) are saved at most this often; lifecycle changes at once.</summary>
    public TimeSpan RepeatSaveInterval { get; set; } = TimeSpan.FromSeconds(5);
    /// <summary>Cleared alerts the live feed keeps besides the open ones.</summary>
    public int FeedClearedAlerts { get; set; } = 200;
    /// <summary>
    /// More devices of one kind offline in one district than this (default 10) share one grouped alert instead of
    /// an alert each (see the district grouping of offline notices).
    /// </summary>
    public int GroupOfflineAbove { get; set; } = 10;
    /// <summary>How long a device gone offline waits to see whether its district is going dark (default 10 s).</summary>
    public TimeSpan GroupOfflineWindow { get; set; } = TimeSpan.FromSeconds(10);

    public bool IsValid() => GroupOfflineAbove >= 0 && GroupOfflineWindow > TimeSpan.Zero && RepeatSaveInterval > TimeSpan.Zero;
}
