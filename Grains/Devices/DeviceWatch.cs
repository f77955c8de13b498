using CommandCenter.Grains.Storage;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Grains.Devices;

/// <summary>
/// After a restart no device grain is active, so none would notice its device staying silent.
/// This wakes every known device once: it shows on the live board again and watches its silence.
/// </summary>
public sealed class DeviceWatch(IGrainFactory grains, SqliteGrainStorage storage, ILogger<DeviceWatch> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var woken = 0;
        var failed = 0;
        foreach (var kind in Enum.GetValues<DeviceKind>())
        {
            foreach (var chunk in storage.KeysOf(kind.Name(), StateName).Chunk(500))
            {
                var results = await Task.WhenAll(chunk.Select(id => WakeWithRetry(grains.Get(kind, id), stoppingToken)));
                woken += results.Count(ok => ok);
                failed += results.Count(ok => !ok);
            }
        }
        // A device that could not be woken is watched again as soon as it sends anything; a failure here
        // must not stop the host (a background service that throws ends the process).
        if (failed > 0)
            logger.LogWarning("Watching {Count} known devices; {Failed} could not be woken and wait for their next message", woken, failed);
        else
            logger.LogInformation("Watching {Count} known devices", woken);
    }

    /// <summary>The name devices give their persistent state.</summary>
    public const string StateName = "device";

    /// <returns>Whether the device is awake; false once retries are used up or the host is stopping.</returns>
    private static async Task<bool> WakeWithRetry(IDeviceGrain device, CancellationToken stoppingToken)
    {
        for (var delay = TimeSpan.FromMilliseconds(200); ; delay *= 2)
        {
            try
            {
                await device.Watch();
                return true;
            }
            catch (Exception) when (!stoppingToken.IsCancellationRequested && delay < TimeSpan.FromSeconds(30))
            {
                try { await Task.Delay(delay, stoppingToken); }
                catch (OperationCanceledException) { return false; }
            }
            catch (Exception)
            {
                return false;
            }
        }
    }
}
