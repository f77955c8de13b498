using CommandCenter.Grains.Devices;
using CommandCenter.VideoRelay.Cameras;

namespace CommandCenter.Web.Video;

/// <summary>The video relay's view of the cameras: stream URLs from, and stream health to, the camera grains.</summary>
public sealed class CameraRegistry(IGrainFactory grains, CameraUrlPolicy policy) : ICameraDirectory, ICameraHealthReporter
{
    /// <summary>A camera registered before its network was taken off the allowed list is not pulled any more.</summary>
    public async ValueTask<CameraSource?> FindAsync(string cameraId, CancellationToken ct) =>
        await grains.GetGrain<ICameraGrain>(cameraId).GetStreamUrl() is { } url && policy.Allows(url) ? new CameraSource(cameraId, url) : null;

    public Task ReportAsync(string cameraId, bool online, string? reason, CancellationToken ct) =>
        grains.GetGrain<ICameraGrain>(cameraId).ReportStream(online, reason);
}

public sealed class CameraOptions
{
    public const string Section = "Cameras";

    /// <summary>Cameras registered (or re-registered) at start-up, e.g. the city's fixed CCTV list.</summary>
    public List<CameraSeed> Register { get; set; } = [];

    /// <summary>
    /// Networks (CIDR) camera hosts must be in, for <c>PUT /api/cameras/{id}</c> and <see cref="Register"/> alike;
    /// host names are refused. Empty means loopback only (127.0.0.0/8 and ::1), enough for the simulated cameras.
    /// </summary>
    public List<string> AllowedNetworks { get; set; } = [];
}

public sealed record CameraSeed(string Id, string StreamUrl, double Lat, double Lon, double Heading, double FieldOfView, double Range, string? Name)
{
    public CameraRegistration ToRegistration() =>
        new(new Uri(StreamUrl), new GeoPoint(Lat, Lon), new CameraView(Heading, FieldOfView, Range), Name);
}
