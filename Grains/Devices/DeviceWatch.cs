using Microsoft.Extensions.DependencyInjection;
using CommandCenter.Grains.Districts;
using CommandCenter.Grains.Live;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Devices;

/// <summary>
/// Knows every device without keeping a grain of each awake. At start-up this node's live board is filled from
/// storage in one query per kind, so screens, counts and the API list every known device at once, before any of them
/// reports, and the districts are told again which devices were offline (they keep that in memory); the few grains
/// with work of their own to resume (a task not yet acknowledged) are woken, and no other. Then the node keeps asking
/// for the cluster's one <see cref="IDeviceWatchGrain"/>, which calls <see cref="Sweep"/> every
/// <see cref="DeviceOptions.OfflineCheckInterval"/> on whichever node it runs: the sweep looks for devices the board
/// shows online but silent for longer than <see cref="DeviceOptions.OfflineAfter"/> and wakes only those; their grain
/// notices the silence and takes them offline. Devices that report wake through their messages and watch themselves.
/// A reminder per device was not chosen: it would wake every device's grain each period whether it was silent or not.
/// </summary>
public sealed class DeviceWatch(
    IGrainFactory grains,
    IGrainStateScan storage,
    LiveBoard board,
    OfflineNotices notices,
    IOptions<DeviceOptions> options,
    [FromKeyedServices(RuleClock.Key)] TimeProvider clock,
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
        await StartSweeping(stoppingToken);
    }

    /// <summary>Sweeps this node has run: on a cluster, only the node holding the watch grain sweeps.</summary>
    public long Sweeps => Interlocked.Read(ref _sweeps);
    private long _sweeps;

    /// <summary>
    /// Asks for the watch grain now and then every <see cref="DeviceOptions.OfflineCheckInterval"/>, from every node: when
    /// the node running it dies, the next ask activates it on a live node, so sweeping pauses for about one interval
    /// after the cluster declares the node dead rather than until the watch's reminder next fires (a minute). A failed
    /// ask is tried again sooner, waiting twice as long each time up to the interval.
    /// </summary>
    private async Task StartSweeping(CancellationToken stoppingToken)
    {
        var firstFailure = true;
        var delay = RetryFirst;
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<IDeviceWatchGrain>(0).Start();
                firstFailure = true;
                delay = options.Value.OfflineCheckInterval;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                // One warning per run of failures: a node dying fails a few asks in a row until the cluster notices.
                delay = firstFailure ? RetryFirst : TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, options.Value.OfflineCheckInterval.Ticks));
                if (firstFailure) logger.LogWarning(e, "Asking for the offline sweep failed; trying again in {Delay}", delay);
                firstFailure = false;
            }
            try
            {
                await Task.Delay(delay, stoppingToken);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private static readonly TimeSpan RetryFirst = TimeSpan.FromMilliseconds(200);

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

    /// <summary>Wakes the devices this node's board shows online but silent; called by <see cref="IDeviceWatchGrain"/>.</summary>
    public async Task Sweep(CancellationToken stoppingToken)
    {
        Interlocked.Increment(ref _sweeps);
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
