namespace CommandCenter.Web.Localization;

/// <summary>How screens show times: in the city's zone, whatever zone the server runs in.</summary>
public sealed class DisplayOptions
{
    public const string Section = "Display";

    /// <summary>The city's time zone id (default Asia/Shanghai): devices report +08:00, operators read local time.</summary>
    public string TimeZone { get; set; } = "Asia/Shanghai";

    public bool IsValid() => TimeZoneInfo.TryFindSystemTimeZoneById(TimeZone, out _);
}
