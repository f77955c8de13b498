using CommandCenter.Grains.Live;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Devices;

public sealed class CameraCoverageOptions
{
    public const string Section = "CameraCoverage";

    /// <summary>Most cameras offered for one place.</summary>
    public int MaxCameras { get; set; } = 4;
    /// <summary>A camera this close sees the place whichever way it looks (it can be turned or zoomed out).</summary>
    public double NearRadiusMeters { get; set; } = 50;
    /// <summary>When no camera's view covers the place, the nearest cameras within this radius are offered instead.</summary>
    public double FallbackRadiusMeters { get; set; } = 500;
}

/// <summary>Which registered cameras can see a place: its view cone first, then plain nearness.</summary>
public sealed class CameraCoverage(LiveBoard board, IOptions<CameraCoverageOptions> options)
{
    public IReadOnlyList<string> CamerasSeeing(GeoPoint place)
    {
        var settings = options.Value;
        var cameras = board.Devices
            .Where(d => d is { Kind: DeviceKind.Camera, Position: not null, View: not null })
            .Select(d => (d.Id, Distance: d.Position!.Value.DistanceMetersTo(place), Sees: Sees(d.Position!.Value, d.View!, place)))
            .ToList();
        var seeing = cameras.Where(c => c.Sees).OrderBy(c => c.Distance);
        var fallback = cameras.Where(c => !c.Sees && c.Distance <= settings.FallbackRadiusMeters).OrderBy(c => c.Distance);
        return seeing.Concat(fallback).Take(settings.MaxCameras).Select(c => c.Id).ToList();
    }

    private bool Sees(GeoPoint camera, CameraView view, GeoPoint place)
    {
        var distance = camera.DistanceMetersTo(place);
        if (distance <= options.Value.NearRadiusMeters) return true;
        if (distance > view.Range) return false;
        var offAxis = Math.Abs(((BearingDegrees(camera, place) - view.Heading) % 360 + 540) % 360 - 180);
        return offAxis <= view.FieldOfView / 2;
    }

    public static double BearingDegrees(GeoPoint from, GeoPoint to)
    {
        var dLon = Radians(to.Lon - from.Lon);
        var y = Math.Sin(dLon) * Math.Cos(Radians(to.Lat));
        var x = Math.Cos(Radians(from.Lat)) * Math.Sin(Radians(to.Lat)) - Math.Sin(Radians(from.Lat)) * Math.Cos(Radians(to.Lat)) * Math.Cos(dLon);
        return (Math.Atan2(y, x) * 180 / Math.PI + 360) % 360;
    }

    private static double Radians(double degrees) => degrees * Math.PI / 180;
}
