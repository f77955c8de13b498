using Orleans.Concurrency;

namespace CommandCenter.Grains.Devices;

/// <summary>Where a registered camera stands and looks.</summary>
[GenerateSerializer, Immutable, Alias("camera-place")]
public sealed record CameraPlace(GeoPoint Position, CameraView View);

/// <summary>
/// The index of where cameras stand and look (one activation in the cluster, key 0), kept by the camera grains as
/// they are registered, moved and retired, and stored so it answers at once after a restart.
/// </summary>
public interface ICameraCoverageGrain : IGrainWithIntegerKey
{
    /// <summary>Places the camera, or takes it out when it has no position or view.</summary>
    Task Place(string cameraId, CameraPlace? place);

    [ReadOnly]
    Task<IReadOnlyList<string>> CamerasSeeing(GeoPoint place);

    [ReadOnly]
    Task<int> Count();
}
