using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Dispatch;
using CommandCenter.Grains.Live;
using CommandCenter.Grains.Pollution;

namespace CommandCenter.Web.CommandWall;

/// <summary>
/// The city's air now: the worst ambient sensor's AQI (with its level and primary pollutant) and, beside it, the mean
/// of all ambient sensors' AQI. The worst is the headline: a command center acts on the place where the air is bad,
/// and a mean over a city hides one polluted district behind many clean ones.
/// </summary>
/// <param name="Worst">The highest AQI of the sensors that have one.</param>
/// <param name="Sensor">The sensor reporting <paramref name="Worst"/>.</param>
/// <param name="Sensors">How many sensors have an AQI now (ambient profile, reporting).</param>
public sealed record CityAir(AirQuality Worst, string Sensor, int Mean, int Sensors);

/// <summary>Active alerts of one network, by severity (index: <see cref="AlertSeverity"/>).</summary>
public sealed record NetworkAlerts(Network Network, int[] BySeverity)
{
    public int Total => BySeverity.Sum();
}

/// <summary>The figures across the top of the command wall, computed from what the live board holds.</summary>
public sealed record WallFigures(
    IReadOnlyList<(DeviceKind Kind, DeviceCount Count)> Devices,
    IReadOnlyList<NetworkAlerts> Alerts,
    int[] OpenIncidentsByLevel,
    int OverdueCases,
    CityAir? Air)
{
    public static readonly WallFigures Empty = new([], [], new int[IncidentLevels.Least], 0, null);

    public static WallFigures Compute(LiveBoard board, int overdueCases)
    {
        var devices = Enum.GetValues<DeviceKind>().Select(kind => (kind, board.Count(kind))).ToList();

        var networks = Enum.GetValues<Network>();
        var bySeverity = networks.Select(_ => new int[Enum.GetValues<AlertSeverity>().Length]).ToArray();
        foreach (var alert in board.EachAlert())
            if (alert.IsActive) bySeverity[(int)alert.Network][(int)alert.Severity]++;

        var incidents = new int[IncidentLevels.Least];
        foreach (var incident in board.Incidents)
            if (incident.IsOpen && IncidentLevels.IsValid(incident.Level)) incidents[incident.Level - 1]++;

        return new WallFigures(devices, networks.Select(n => new NetworkAlerts(n, bySeverity[(int)n])).ToList(), incidents,
            overdueCases, AirOf(board.EachDevice()));
    }

    /// <summary>Only sensors that report and have an AQI (the ambient profile) count; an offline sensor's AQI is stale.</summary>
    public static CityAir? AirOf(IEnumerable<DeviceSnapshot> devices)
    {
        AirQuality? worst = null;
        string? sensor = null;
        long sum = 0;
        var count = 0;
        foreach (var device in devices)
        {
            if (device is not { Kind: DeviceKind.Sensor, Online: true, Air: { } air }) continue;
            sum += air.Aqi;
            count++;
            if (worst is null || air.Aqi > worst.Aqi) (worst, sensor) = (air, device.Id);
        }
        return worst is null ? null : new CityAir(worst, sensor!, (int)Math.Round((double)sum / count), count);
    }
}
