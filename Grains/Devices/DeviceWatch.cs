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
        foreach (var kind in Enum.GetValues<DeviceKind>())
        {
            foreach (var chunk in storage.KeysOf(kind.Name(), StateName).Chunk(500))
            {
                await Task.WhenAll(chunk.Select(id => WakeWithRetry(grains.Get(kind, id), stoppingToken)));
                woken += chunk.Length;
            }
        }
        logger.LogInformation("Watching {Count} known devices", woken);
    }

    /// <summary>The name devices give their persistent state.</summary>
    public const string StateName = "device";

    private static async Task WakeWithRetry(IDeviceGrain device, CancellationToken stoppingToken)
    {
        for (var delay = TimeSpan.FromMilliseconds(200); ; delay *= 2)
        {
            try { await device.Watch(); return; }
            catch (Exception) when (!stoppingToken.IsCancellationRequested && delay < TimeSpan.FromSeconds(30))
            {
                await Task.Delay(delay, stoppingToken);
            }
        }
    }
}
