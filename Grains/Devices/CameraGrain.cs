using CommandCenter.Grains.Live;
using Microsoft.Extensions.Options;

using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Storage;

namespace CommandCenter.Grains.Devices;

/// <summary>A CCTV camera: online while it (or the video relay pulling its stream) says so.</summary>
[GrainType("camera")]
public sealed class CameraGrain(
    [PersistentState(DeviceWatch.StateName, StorageNames.State)] IPersistentState<DeviceState> state,
    LiveBoard board,
    IOptions<DeviceOptions> options,
    TimeProvider clock) : DeviceGrain(state, board, options, clock), ICameraGrain
{
    protected override DeviceKind Kind => DeviceKind.Camera;
}
