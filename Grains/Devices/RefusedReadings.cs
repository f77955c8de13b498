using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CommandCenter.Grains.Devices;

/// <summary>
/// Counts pollutant codes refused because a sensor already holds <see cref="DeviceOptions.MaxReadingsPerDevice"/>,
/// and logs them at most once per <see cref="LogInterval"/> for all sensors together, so a sensor
/// inventing codes cannot flood the log.
/// </summary>
public sealed class RefusedReadings([FromKeyedServices(RuleClock.Key)] TimeProvider clock, ILogger<RefusedReadings> logger)
{
    public static readonly TimeSpan LogInterval = TimeSpan.FromSeconds(10);
    private readonly Lock _lock = new();
    private long _count;
    private DateTimeOffset _lastLogged = DateTimeOffset.MinValue;

    public long Count => Interlocked.Read(ref _count);

    /// <param name="sensorId">Checked by the gateway's contract: no control characters.</param>
    public void Refused(string sensorId, int codes, int cap)
    {
        var count = Interlocked.Add(ref _count, codes);
        var now = clock.GetUtcNow();
        lock (_lock)
        {
            if (now - _lastLogged < LogInterval) return;
            _lastLogged = now;
        }
        logger.LogWarning("Sensor {SensorId} sent {Codes} new pollutant codes beyond its cap of {Cap}; refused ({Count} so far)",
            sensorId, codes, cap, count);
    }
}
