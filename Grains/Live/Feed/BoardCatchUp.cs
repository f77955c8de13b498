using System.Threading.Channels;
using CommandCenter.Grains.Alerts;
using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.Grains.Live;

/// <summary>
/// Brings this node's board up to date when the node comes back into the live feed after being out of it
/// (<see cref="LiveFeed.Rejoined"/>): nothing was sent to it meanwhile, so alerts raised, incidents opened and devices
/// retired elsewhere would otherwise stay unseen here until a restart. The board is read again from where it is filled
/// at start-up: every device's stored state (<see cref="IGrainStateScan"/>: the embedded store, or the scan of Redis on
/// a cluster) and the open alerts and incidents in the records. <see cref="LiveBoard"/> takes a stored copy only where
/// it is later than its own and the feed has not changed it since the catch-up began.
/// </summary>
public sealed class BoardCatchUp(
    LiveFeed feed,
    LiveBoard board,
    IGrainStateScan storage,
    AlertStore alerts,
    Dispatch.IncidentStore incidents,
    IOptions<AlertOptions> alertOptions,
    ILogger<BoardCatchUp> logger) : BackgroundService
{
    // A catch-up that fails (storage briefly unreachable) is tried again this much later, at most this many times.
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(2);
    private const int Attempts = 5;

    // One catch-up waiting is enough: a return while one runs is covered by the one after it.
    private readonly Channel<bool> _due = Channel.CreateBounded<bool>(new BoundedChannelOptions(1)
    {
        FullMode = BoundedChannelFullMode.DropWrite, SingleReader = true,
    });

    /// <summary>Catch-ups finished on this node.</summary>
    public long Completed => Interlocked.Read(ref _completed);
    private long _completed;

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        feed.Rejoined += Due;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        feed.Rejoined -= Due;
        _due.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private void Due() => _due.Writer.TryWrite(true);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var _ in _due.Reader.ReadAllAsync(stoppingToken))
                for (var attempt = 1; ; attempt++)
                {
                    try
                    {
                        // The scan of stored states reads synchronously: off the caller's thread.
                        await Task.Run(() => CatchUp(stoppingToken), stoppingToken);
                        Interlocked.Increment(ref _completed);
                        break;
                    }
                    catch (Exception e) when (attempt < Attempts && !stoppingToken.IsCancellationRequested)
                    {
                        logger.LogWarning(e, "Catching up the live board failed (attempt {Attempt}); trying again in {Delay}", attempt, RetryDelay);
                        await Task.Delay(RetryDelay, stoppingToken);
                    }
                    catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                    {
                        logger.LogError(e, "Catching up the live board failed; it shows what the feed brings from now on, and the rest after a restart");
                        break;
                    }
                }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task CatchUp(CancellationToken stoppingToken)
    {
        using var catchingUp = board.BeginCatchUp();
        var before = board.EachDevice().Select(device => (device.Kind, device.Id)).ToList();
        var stored = new HashSet<(DeviceKind, string)>();
        int devices = 0, gone = 0, alertsTaken = 0, incidentsTaken = 0;
        foreach (var kind in Enum.GetValues<DeviceKind>())
            foreach (var (id, state) in storage.StatesOf<DeviceState>(kind.Name(), DeviceWatch.StateName))
            {
                stoppingToken.ThrowIfCancellationRequested();
                stored.Add((kind, id));
                if (board.CatchUp(state.SnapshotOf(kind, id, state.OpenExceedances()))) devices++;
            }
        foreach (var (kind, id) in before)
            if (!stored.Contains((kind, id)) && board.CatchUpGone(kind, id)) gone++;

        var storedAlerts = (await alerts.ListAsync(AlertFilter.Active, int.MaxValue))
            .Concat(await alerts.ListAsync(AlertFilter.Cleared, alertOptions.Value.FeedClearedAlerts)).ToList();
        foreach (var alert in storedAlerts)
            if (board.CatchUp(alert)) alertsTaken++;
        // Active on the board, neither active nor among the latest cleared in storage: cleared while this node was out.
        var listed = storedAlerts.Select(alert => alert.Id).ToHashSet();
        foreach (var stale in board.EachAlert().Where(alert => alert.IsActive && !listed.Contains(alert.Id)).ToList())
            if (await alerts.FindAsync(stale.Id) is { } alert && board.CatchUp(alert)) alertsTaken++;

        var open = await incidents.ListAsync(Dispatch.IncidentState.Open, int.MaxValue);
        foreach (var incident in open)
            if (board.CatchUp(incident)) incidentsTaken++;
        // Open on the board, not in storage's open list: closed while this node was out.
        var stillOpen = open.Select(incident => incident.Id).ToHashSet();
        foreach (var stale in board.Incidents.Where(incident => incident.IsOpen && !stillOpen.Contains(incident.Id)).ToList())
            if (await incidents.FindAsync(stale.Id) is { } incident && board.CatchUp(incident)) incidentsTaken++;

        logger.LogInformation(
            "Caught up on the live feed from storage: {Devices} devices changed, {Gone} gone, {Alerts} alerts and {Incidents} incidents changed",
            devices, gone, alertsTaken, incidentsTaken);
    }
}
