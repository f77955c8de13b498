using CommandCenter.Grains.Live;
using Microsoft.Extensions.Options;

using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Storage;

namespace CommandCenter.Grains.Devices;

/// <summary>A field inspector's handheld (城管通): where it is and how much battery is left.</summary>
[GrainType("handheld")]
public sealed class HandheldGrain(
    [PersistentState(DeviceWatch.StateName, StorageNames.State)] IPersistentState<DeviceState> state,
    LiveBoard board,
    IOptions<DeviceOptions> options,
    TimeProvider clock) : DeviceGrain(state, board, options, clock), IHandheldGrain
{
    protected override DeviceKind Kind => DeviceKind.Handheld;

    public async Task<ReportOutcome> Report(HandheldFix fix)
    {
        await Heard();
        if (IsLate(fix.Ts))
        {
            await Commit();
            return ReportOutcome.Late;
        }
        State.LastReport = fix.Ts;
        State.Position = fix.Position;
        State.Battery = fix.Battery;
        await Commit();
        return ReportOutcome.Applied;
    }
}
