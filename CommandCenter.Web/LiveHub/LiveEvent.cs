using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;

namespace CommandCenter.Web.LiveHub;

/// <summary>
/// One item of a client's stream. <c>subscribed</c> comes first; then <c>alert</c> (one alert's change) and
/// <c>devices</c> (one push interval's device changes, as a batch) in the order of their ids. Absent fields are left out.
/// </summary>
/// <param name="Id">Increases with every event; the client sends back the last one it saw when it resubscribes.</param>
/// <param name="Type">subscribed, alert or devices.</param>
/// <param name="Change">Of an alert: raised, repeated, escalated, eased, acknowledged or cleared.</param>
/// <param name="Alert">The alert as it is after the change.</param>
/// <param name="Devices">The devices that changed (online, offline, position, readings), each as it is now.</param>
/// <param name="Forgotten">Keys (<c>kind/id</c>) of devices removed from the live picture.</param>
/// <param name="Resumed">On <c>subscribed</c>: true when what was missed since the client's last id follows.</param>
/// <param name="TooOld">On <c>subscribed</c>: the client's last id is older than the server remembers (or from before a restart).</param>
/// <param name="Alerts">On <c>subscribed</c> when not resumed: the active alerts matching the filter, to rebuild the picture from.</param>
public sealed record LiveEvent(
    long Id,
    string Type,
    string? Change = null,
    Alert? Alert = null,
    IReadOnlyList<DeviceSnapshot>? Devices = null,
    IReadOnlyList<string>? Forgotten = null,
    bool? Resumed = null,
    bool? TooOld = null,
    IReadOnlyList<Alert>? Alerts = null)
{
    public const string SubscribedType = "subscribed", AlertType = "alert", DevicesType = "devices";
}

/// <summary>How an alert changed since the hub last saw it.</summary>
public static class AlertChanges
{
    public static string Of(Alert? before, Alert now)
    {
        if (now.State == AlertState.Cleared) return "cleared";
        if (now.State == AlertState.Acknowledged && before?.State != AlertState.Acknowledged) return "acknowledged";
        if (before is null) return now.Occurrences > 1 ? "repeated" : "raised";
        if (now.Severity > before.Severity) return "escalated";
        if (now.Severity < before.Severity) return "eased";
        return "repeated";
    }
}
