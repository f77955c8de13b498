using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using Microsoft.AspNetCore.SignalR;

namespace CommandCenter.Web.LiveHub;

/// <summary>A rectangle of latitude and longitude, in degrees (WGS 84, as devices report).</summary>
public sealed record BoundingBox(double South, double West, double North, double East)
{
    public bool Contains(GeoPoint point) =>
        point.Lat >= South && point.Lat <= North && point.Lon >= West && point.Lon <= East;
}

/// <summary>
/// What a client subscribes to. Every part is optional: no networks means all three, no severity means every alert,
/// no area means everywhere. <paramref name="Devices"/> false leaves device changes out (a screen of alerts only).
/// </summary>
/// <param name="Networks">city-management, environment, public-security.</param>
/// <param name="MinSeverity">warning, minor, major or critical: alerts at least this severe. Devices have no severity.</param>
/// <param name="Area">Only alerts and devices whose position lies inside; ones without a position are left out.</param>
public sealed record LiveFilter(IReadOnlyList<string>? Networks = null, string? MinSeverity = null, BoundingBox? Area = null, bool Devices = true);

/// <summary>A <see cref="LiveFilter"/> checked and parsed once, when the client subscribes.</summary>
public sealed class CheckedFilter
{
    private readonly HashSet<Network>? _networks;
    private readonly AlertSeverity _minSeverity;
    private readonly BoundingBox? _area;

    public bool Devices { get; }

    private CheckedFilter(HashSet<Network>? networks, AlertSeverity minSeverity, BoundingBox? area, bool devices) =>
        (_networks, _minSeverity, _area, Devices) = (networks, minSeverity, area, devices);

    /// <exception cref="HubException">The filter names an unknown network or severity, or an impossible area.</exception>
    public static CheckedFilter From(LiveFilter? filter)
    {
        filter ??= new LiveFilter();
        HashSet<Network>? networks = null;
        if (filter.Networks is { Count: > 0 })
        {
            networks = [];
            foreach (var name in filter.Networks)
            {
                var network = Enum.GetValues<Network>().Select(n => (Network?)n).FirstOrDefault(n => n!.Value.Name() == name)
                    ?? throw new HubException($"Unknown network '{name}': use city-management, environment or public-security.");
                networks.Add(network);
            }
        }
        var severity = AlertSeverity.Warning;
        if (filter.MinSeverity is { } text && !AlertNames.TryParseSeverity(text, out severity))
            throw new HubException($"Unknown severity '{text}': use warning, minor, major or critical.");
        if (filter.Area is { } area)
        {
            double[] corners = [area.South, area.West, area.North, area.East];
            if (corners.Any(v => !double.IsFinite(v)) || area.South < -90 || area.North > 90 || area.West < -180 || area.East > 180)
                throw new HubException("The area must lie within latitudes -90..90 and longitudes -180..180.");
            if (area.South > area.North || area.West > area.East)
                throw new HubException("The area's south must not exceed its north, nor its west its east.");
        }
        return new CheckedFilter(networks, severity, filter.Area, filter.Devices);
    }

    public bool Matches(Alert alert) =>
        (_networks is null || _networks.Contains(alert.Network)) && alert.Severity >= _minSeverity && InArea(alert.Position);

    public bool Matches(DeviceSnapshot device) =>
        Devices && (_networks is null || _networks.Contains(device.Kind.Network())) && InArea(device.Position);

    private bool InArea(GeoPoint? position) => _area is null || (position is { } p && _area.Contains(p));
}
