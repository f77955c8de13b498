using CommandCenter.Grains.Devices;

namespace CommandCenter.Grains.Districts;

/// <summary>A device of the district went offline (<see cref="Offline"/>) or came back.</summary>
/// <param name="Restored">
/// Not a change but what storage says after a restart: the device was offline when the host stopped. Districts keep their
/// devices in memory, so the host tells them again at start-up without waking a grain per device.
/// </param>
[GenerateSerializer, Immutable, Alias("offline-change")]
public sealed record OfflineChange(string DeviceId, bool Offline, DateTimeOffset At, GeoPoint? Position = null, string? Title = null, bool Restored = false);

/// <summary>Which devices of one kind in one district are offline, and how the operators were told.</summary>
/// <param name="Grouped">Offline devices covered by the district's one grouped alert.</param>
/// <param name="Single">Offline devices each with an offline alert of its own.</param>
/// <param name="Pending">Offline devices whose window has not closed yet: not alerted so far.</param>
[GenerateSerializer, Immutable, Alias("district-offline")]
public sealed record DistrictOffline(string District, DeviceKind Kind, IReadOnlyList<string> Grouped, IReadOnlyList<string> Single, int Pending);

/// <summary>
/// Keyed "{kind}/{district code}": gathers the offline devices of one kind in one district, so a district going dark
/// raises one grouped alert instead of one per device (see <see cref="OfflineGrouping"/>). Device grains tell it through
/// <see cref="OfflineNotices"/>, in batches.
/// </summary>
public interface IDistrictOfflineGrain : IGrainWithStringKey
{
    Task Apply(IReadOnlyList<OfflineChange> changes);
    Task<DistrictOffline> GetOffline();
}

public static class DistrictOfflineKeys
{
    public static string Of(DeviceKind kind, string district) => $"{kind.Name()}/{district}";

    /// <summary>The grouped alert of a district borrows the alert key of a device named after the district.</summary>
    public static string GroupDeviceId(string district) => $"district-{district}";

    public static bool TryParseGroup(Alerts.AlertKey key, out string district)
    {
        district = key.DeviceId.StartsWith("district-", StringComparison.Ordinal) ? key.DeviceId["district-".Length..] : "";
        return key.Type == Alerts.SystemAlertTypes.OfflineDistrict && district.Length > 0;
    }
}
