using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Devices;

public sealed class CameraCoverageState
{
    public Dictionary<string, CameraPlace> Cameras { get; set; } = [];
}

/// <summary>
/// Answers "which cameras see this place" for the whole cluster from its own stored index rather than from a node's
/// live board, which holds only what that node has heard. A camera changes place rarely, so each change is written at
/// once; questions (one per alert with a position) read memory and may run side by side.
/// </summary>
public sealed class CameraCoverageGrain(
    [PersistentState("camera-coverage", StorageNames.State)] IPersistentState<CameraCoverageState> state,
    IOptions<CameraCoverageOptions> options) : Grain, ICameraCoverageGrain
{
    public async Task Place(string cameraId, CameraPlace? place)
    {
        var cameras = state.State.Cameras;
        if (place is null ? !cameras.Remove(cameraId) : cameras.TryGetValue(cameraId, out var known) && known == place) return;
        if (place is not null) cameras[cameraId] = place;
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<string>> CamerasSeeing(GeoPoint place) =>
        Task.FromResult(CameraCoverage.Rank(state.State.Cameras, place, options.Value));

    public Task<int> Count() => Task.FromResult(state.State.Cameras.Count);
}
