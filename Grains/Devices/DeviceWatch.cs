using CommandCenter.Grains.Districts;
using CommandCenter.Grains.Live;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Devices;

/// <summary>
/// Knows every device without keeping a grain of each awake. At start-up the live board is filled from storage in one
/// query per kind, so screens, counts and the API list every known device at once, before any of them reports, and the
/// districts are told again which devices were offline (they keep that in memory). After
/// that, every <see cref="DeviceOptions.OfflineCheckInterval"/> a sweep looks for devices the board shows online but
/// silent for longer than <see cref="DeviceOptions.OfflineAfter"/> and wakes only those: their grain notices the silence
/// and takes them offline; at start-up it also wakes the few grains with work of their own to resume (a task not yet
/// acknowledged). Devices that report wake through their messages and watch themselves; after a restart the
/// others cost nothing until they fall silent. A sweep over the board was chosen over Orleans reminders, which would
/// need a reminder table and would wake every device's grain each period whether it was silent or not.
/// </summary>
public sealed class DeviceWatch(
    IGrainFactory grains,
    IGrainStateScan storage,
    LiveBoard board,
    OfflineNotices notices,
    IOptions<DeviceOptions> options,
    TimeProvider clock,
    ILogger<DeviceWatch> logger) : BackgroundService
{
    /// <summary>The name devices give their persistent state.</summary>
    public const string StateName = "device";

    /// <summary>Grains woken at once by a sweep: enough to keep up with a district falling silent, few enough that other calls are not queued behind them.</summary>
    private const int WakeConcurrency = 256;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Off the start-up path: the host serves while the board fills.
        await Task.Yield();
        var resume = LoadBoard();
        await Wake(resume, "with work to resume", stoppingToken);
        using var timer = new PeriodicTimer(options.Value.OfflineCheckInterval, clock);
        do
        {
            await Sweep(stoppingToken);
        }
        while (await timer.WaitForNextTickAsync(stoppingToken));
    }

    /// <returns>The devices whose grains have work to resume (<see cref="DeviceState.HasWorkToResume"/>).</returns>
    private List<(DeviceKind Kind, string Id)> LoadBoard()
    {
        var loaded = 0;
        var resume = new List<(DeviceKind, string)>();
        foreach (var kind in Enum.GetValues<DeviceKind>())
            foreach (var (id, state) in storage.StatesOf<DeviceState>(kind.Name(), StateName))
            {
                board.PublishStored(state.SnapshotOf(kind, id, state.OpenExceedances()));
                if (state.OfflineAlertOpen) TellDistrict(kind, id, state);
                if (state.HasWorkToResume) resume.Add((kind, id));
                loaded++;
            }
        logger.LogInformation("Watching {Count} known devices", loaded);
        return resume;
    }

    private void TellDistrict(DeviceKind kind, string id, DeviceState state) =>
        notices.Tell(kind, state.DistrictToTell,
            new OfflineChange(id, Offline: true, state.LastSeen ?? clock.GetUtcNow(), state.Position,
                $"{kind.Name()} {id} offline (last heard {state.LastSeen?.ToString("yyyy-MM-dd HH:mm:ss 'UTC'") ?? "never"})", Restored: true));

    private async Task Sweep(CancellationToken stoppingToken)
    {
        var silentSince = clock.GetUtcNow() - options.Value.OfflineAfter;
        var silent = board.EachDevice()
            .Where(device => device.Online && (device.LastSeen ?? DateTimeOffset.MinValue) < silentSince)
            .Select(device => (device.Kind, device.Id))
            .ToList();
        await Wake(silent, "silent", stoppingToken);
    }

    private async Task Wake(List<(DeviceKind Kind, string Id)> devices, string which, CancellationToken stoppingToken)
    {
        if (devices.Count == 0) return;
        var failed = 0;
        try
        {
            await Parallel.ForEachAsync(devices, new ParallelOptions { MaxDegreeOfParallelism = WakeConcurrency, CancellationToken = stoppingToken },
                async (device, _) =>
                {
                    try
                    {
                        await grains.Get(device.Kind, device.Id).Watch();
                    }
                    catch (Exception) when (!stoppingToken.IsCancellationRequested)
                    {
                        // A silent device is still online and silent on the board: the next sweep tries again. A device with
                        // work to resume wakes with its next message.
                        Interlocked.Increment(ref failed);
                    }
                });
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }
        if (failed > 0)
            logger.LogWarning("{Failed} of {Count} devices {Which} could not be woken", failed, devices.Count, which);
    }
}
