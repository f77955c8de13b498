using System.Threading.Channels;
using CommandCenter.Grains.Devices;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Grains.Districts;

/// <summary>
/// Carries device grains' offline and online changes to their districts' grains in batches, one call per district
/// and round, so 100,000 devices falling silent together cost a few dozen grain calls rather than 100,000. Telling is
/// a queue write: a device grain's timer never waits on another grain. The device's state is saved before it tells, so
/// an offline device whose notice was lost with the process is told again at start-up (<see cref="Devices.DeviceWatch"/>).
/// </summary>
public sealed class OfflineNotices(IGrainFactory grains, ILogger<OfflineNotices> logger) : BackgroundService
{
    private readonly Channel<(string District, OfflineChange Change)> _queue =
        Channel.CreateUnbounded<(string, OfflineChange)>(new() { SingleReader = true });

    /// <summary>Most changes in one call, so a message stays well below the transport's limits.</summary>
    private const int MaxBatch = 5_000;
    /// <summary>Time given to more changes to gather before a round is sent.</summary>
    private static readonly TimeSpan Gather = TimeSpan.FromMilliseconds(100);

    public void Tell(DeviceKind kind, string district, OfflineChange change) =>
        _queue.Writer.TryWrite((DistrictOfflineKeys.Of(kind, district), change));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            while (await _queue.Reader.WaitToReadAsync(stoppingToken))
            {
                await Task.Delay(Gather, stoppingToken);
                var rounds = new Dictionary<string, List<OfflineChange>>();
                while (_queue.Reader.TryRead(out var item))
                {
                    if (!rounds.TryGetValue(item.District, out var list)) rounds[item.District] = list = [];
                    list.Add(item.Change);
                }
                await Task.WhenAll(rounds.SelectMany(r => r.Value.Chunk(MaxBatch).Select(batch => Send(r.Key, batch, stoppingToken))));
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    /// <summary>Retries with a doubling wait: a district grain that cannot be reached now (a silo going down) can later.</summary>
    private async Task Send(string district, OfflineChange[] batch, CancellationToken stoppingToken)
    {
        for (var delay = TimeSpan.FromMilliseconds(200); ; delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, TimeSpan.FromSeconds(30).Ticks)))
        {
            try
            {
                await grains.GetGrain<IDistrictOfflineGrain>(district).Apply(batch);
                return;
            }
            catch (Exception e) when (!stoppingToken.IsCancellationRequested)
            {
                logger.LogWarning(e, "Telling district {District} about {Count} offline changes failed; trying again in {Delay}", district, batch.Length, delay);
                await Task.Delay(delay, stoppingToken);
            }
        }
    }
}
