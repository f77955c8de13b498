using System.Threading.Channels;
using CommandCenter.Grains.Live;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CommandCenter.DeviceGateway.Registry;

/// <summary>
/// Keeps every node's copy of the <see cref="DeviceRegistry"/> in step on a cluster. A change committed here goes out
/// on the <see cref="LiveFeed"/> as the device's id; a change arriving from another node is re-read from the record
/// database, and the registry drops the device's connections to this node's broker when it was retired or re-keyed.
/// A node that comes back into the feed after being out of it (<see cref="LiveFeed.Rejoined"/>) missed the changes
/// announced meanwhile: it re-reads the whole table. On one node there is no other node: nothing arrives, and the
/// registry works exactly as without this.
/// </summary>
public sealed class RegistryFollower(DeviceRegistry registry, LiveFeed feed, ILogger<RegistryFollower> logger) : BackgroundService
{
    // A read that fails (the database briefly unreachable) is tried again this often, at most this many times.
    private static readonly TimeSpan RetryDelay = TimeSpan.FromSeconds(1);
    private const int Attempts = 5;

    // Arrivals are queued off the feed's call: a database read must not hold up the next batch to this node's board.
    // An id of null stands for the whole table (after a return to the feed).
    private readonly Channel<(string? Id, int Attempt)> _arrived = Channel.CreateUnbounded<(string?, int)>(new() { SingleReader = true });

    public override Task StartAsync(CancellationToken cancellationToken)
    {
        registry.Changed += Publish;
        feed.RegistryChanged += Arrived;
        feed.Rejoined += Rejoined;
        return base.StartAsync(cancellationToken);
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        registry.Changed -= Publish;
        feed.RegistryChanged -= Arrived;
        feed.Rejoined -= Rejoined;
        _arrived.Writer.TryComplete();
        await base.StopAsync(cancellationToken);
    }

    private void Publish(string id) => feed.Publish(new RegistryChange(id));

    private void Arrived(RegistryChange change) => _arrived.Writer.TryWrite((change.DeviceId, 1));

    private void Rejoined() => _arrived.Writer.TryWrite((null, 1));

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            await foreach (var (id, attempt) in _arrived.Reader.ReadAllAsync(stoppingToken))
            {
                try
                {
                    if (id is null)
                        logger.LogInformation("Back in the live feed: the device registry re-read, {Changed} devices changed meanwhile", await registry.RefreshAll());
                    else
                        await registry.Refresh(id);
                }
                catch (Exception e) when (attempt < Attempts)
                {
                    logger.LogWarning(e, "Re-reading the registration of {Device} failed (attempt {Attempt}); trying again", id ?? "every device", attempt);
                    _ = RetryLater(id, attempt + 1, stoppingToken);
                }
                catch (Exception e)
                {
                    logger.LogError(e, "The registration of {Device} changed on another node but could not be read; this node keeps its old copy until it restarts or rejoins the live feed", id ?? "every device");
                }
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested) { }
    }

    private async Task RetryLater(string? id, int attempt, CancellationToken stoppingToken)
    {
        try
        {
            await Task.Delay(RetryDelay * attempt, stoppingToken);
            _arrived.Writer.TryWrite((id, attempt));
        }
        catch (OperationCanceledException) { }
    }
}
