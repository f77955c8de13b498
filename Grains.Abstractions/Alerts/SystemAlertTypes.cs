namespace CommandCenter.Grains.Alerts;

/// <summary>
/// Alert types the command center raises itself. A device may not send an event of one of these
/// types: it would open, refresh or hide the system's own alert of that device.
/// </summary>
public static class SystemAlertTypes
{
    /// <summary>The device fell silent (raised by its grain's watchdog).</summary>
    public const string Offline = "offline";
    /// <summary>The video relay lost a camera's stream.</summary>
    /// <summary>Many devices of one district fell silent together: one grouped alert lists them.</summary>
    public const string OfflineDistrict = "offline-district";
    public const string StreamLost = "stream-lost";
    /// <summary>Prefix of a pollutant's limit exceedance, followed by its HJ 212 code.</summary>
    public const string ExceedancePrefix = "exceed-";

    public static string Exceedance(string pollutantCode) => ExceedancePrefix + pollutantCode;

    public static bool IsReserved(string type) =>
        type == Offline || type == OfflineDistrict || type == StreamLost || type.StartsWith(ExceedancePrefix, StringComparison.Ordinal);
}
