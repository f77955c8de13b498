using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using CommandCenter.VideoRelay.Ffmpeg;
using CommandCenter.VideoRelay.Streams;

namespace CommandCenter.VideoRelay;

/// <summary>Prepares the relay at start-up, stops idle streams while running, and stops every ffmpeg on shutdown.</summary>
internal sealed class VideoRelayHostedService(
    FfmpegLauncher launcher, StreamRegistry streams, IOptions<VideoRelayOptions> options, TimeProvider time,
    ILogger<VideoRelayHostedService> logger) : BackgroundService
{
    public override Task StartAsync(CancellationToken cancellationToken)
    {
        try
        {
            launcher.Prepare();
        }
        catch (InvalidOperationException e)
        {
            // Without ffmpeg there is no video, but devices, alerts and dispatch still work: the host runs on and
            // /health names ffmpeg as unhealthy; each stream asked for fails with the same reason.
            logger.LogError("The video relay cannot start streams: {Reason}", e.Message);
        }
        return base.StartAsync(cancellationToken);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.IdleCheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                // A failing round must not end the loop: a background service that throws stops the whole host.
                try
                {
                    await streams.StopIdleStreamsAsync();
                }
                catch (Exception e)
                {
                    logger.LogError(e, "Stopping idle streams failed; trying again in {Interval}", options.Value.IdleCheckInterval);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Host stopping.
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        await streams.StopAllAsync();
    }
}
