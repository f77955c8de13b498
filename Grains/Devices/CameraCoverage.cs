using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Devices;

/// <summary>
/// Which registered cameras can see a place, answered by the cluster's one <see cref="ICameraCoverageGrain"/>, the
/// same on every node (alerts in their grains, incidents in the API and on the incident board).
/// </summary>
public sealed class CameraCoverage(IGrainFactory grains)
{
    public Task<IReadOnlyList<string>> CamerasSeeing(GeoPoint place) => grains.GetGrain<ICameraCoverageGrain>(0).CamerasSeeing(place);

    /// <summary>Cameras whose view cone holds the place first, nearest first; then plain nearness.</summary>
    public static IReadOnlyList<string> Rank(IEnumerable<KeyValuePair<string, CameraPlace>> cameras, GeoPoint place, CameraCoverageOptions settings)
    {
        var measured = cameras
            .Select(c => (c.Key, Distance: c.Value.Position.DistanceMetersTo(place), Sees: Sees(c.Value, place, settings)))
            .ToList();
        var seeing = measured.Where(c => c.Sees).OrderBy(c => c.Distance);
        var fallback = measured.Where(c => !c.Sees && c.Distance <= settings.FallbackRadiusMeters).OrderBy(c => c.Distance);
        return seeing.Concat(fallback).Take(settings.MaxCameras).Select(c => c.Key).ToList();
    }

    private static bool Sees(CameraPlace camera, GeoPoint place, CameraCoverageOptions settings)
    {
        var distance = camera.Position.DistanceMetersTo(place);
        if (distance <= settings.NearRadiusMeters) return true;
        if (distance > camera.View.Range) return false;
        var offAxis = Math.Abs(((BearingDegrees(camera.Position, place) - camera.View.Heading) % 360 + 540) % 360 - 180);
        return offAxis <= camera.View.FieldOfView / 2;
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
