using CommandCenter.Grains.Alerts;

namespace CommandCenter.Grains.Devices;

public sealed class VideoAlertOptions
{
    public const string Section = "VideoAlerts";

    /// <summary>How severe the alert is that a camera raises when its stream is lost (default major).</summary>
    public AlertSeverity StreamLostSeverity { get; set; } = AlertSeverity.Major;
}
