using System.Collections.Concurrent;
using CommandCenter.Grains.Video;
using CommandCenter.VideoRelay.Streams;
using Microsoft.Extensions.Options;

namespace CommandCenter.Web.Video.Cluster;

/// <summary>
/// Keeps this node's relay leases true to what it relays: renews the lease of every camera it streams, releases the
/// lease of a camera whose stream stopped (no viewers), and stops a stream whose lease another node now holds (it
/// was taken while this node could not renew), so the cluster settles on one relay per camera.
/// </summary>
internal sealed class RelayLeases(
    IGrainFactory grains, LocalRelayNode local, HeldLeases held, IVideoRelay relay, IOptions<VideoClusterOptions> options,
    TimeProvider time, ILogger<RelayLeases> logger) : BackgroundService
{
    private readonly ConcurrentDictionary<string, byte> _held = held.Cameras;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.RenewInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // A failing round must not end the loop: a background service that throws stops the whole host.
                try
                {
                    await KeepAsync();
                }
                catch (Exception e)
                {
                    logger.LogWarning(e, "Renewing relay leases failed; trying again in {Interval}", options.Value.RenewInterval);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Host stopping.
        }
    }

    private async Task KeepAsync()
    {
        var self = local.Node;
        var streaming = relay.GetStatus().Where(s => s.State != StreamState.Stopped).Select(s => s.CameraId).ToHashSet(StringComparer.Ordinal);
        foreach (var cameraId in streaming.Union(_held.Keys))
        {
            var lease = grains.GetGrain<IRelayOwnerGrain>(cameraId);
            if (!streaming.Contains(cameraId))
            {
                await lease.Release(self);
                _held.TryRemove(cameraId, out _);
            }
            else if (await lease.Renew(self))
            {
                _held.TryAdd(cameraId, 0);
            }
            else
            {
                logger.LogWarning("Camera {CameraId} is relayed by another node now; stopping this node's relay", cameraId);
                _held.TryRemove(cameraId, out _);
                await relay.StopStreamingAsync(cameraId);
            }
        }
    }
}

/// <summary>The cameras whose lease this node was given by a claim, until <see cref="RelayLeases"/> renews or releases them.</summary>
internal sealed class HeldLeases
{
    public ConcurrentDictionary<string, byte> Cameras { get; } = new(StringComparer.Ordinal);

    public void Add(string cameraId) => Cameras.TryAdd(cameraId, 0);
}
