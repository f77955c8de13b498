namespace CommandCenter.Grains.Devices;

public sealed class DeviceOptions
{
    public const string Section = "Devices";

    /// <summary>A device silent for longer than this goes offline and raises an offline alert.</summary>
    public TimeSpan OfflineAfter { get; set; } = TimeSpan.FromMinutes(2);
    /// <summary>
    /// How often an online device's grain checks its silence, and how often the host sweeps the live board for devices
    /// known as online whose silence no awake grain watches (see <see cref="DeviceWatch"/>).
    /// </summary>
    public TimeSpan OfflineCheckInterval { get; set; } = TimeSpan.FromSeconds(10);
    /// <summary>Readings are saved at most this often; status and alert changes are saved at once.</summary>
    public TimeSpan StateSaveInterval { get; set; } = TimeSpan.FromSeconds(60);
    public Alerts.AlertSeverity OfflineSeverity { get; set; } = Alerts.AlertSeverity.Minor;
    /// <summary>
    /// Most pollutant codes a sensor's live state holds (default 64; a real monitor reports about ten).
    /// A new code beyond it is refused while the known ones keep updating.
    /// </summary>
    public int MaxReadingsPerDevice { get; set; } = 64;
}
