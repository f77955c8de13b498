using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CommandCenter.DeviceGateway.Contract;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.DeviceGateway;

public sealed record GatewayStatsSnapshot(long Accepted, long Rejected, long Failed, IReadOnlyDictionary<string, long> RejectedByReason);

/// <summary>
/// Counts what the gateway accepted, rejected and failed to deliver, and logs rejections
/// at most once per reason per <see cref="GatewayOptions.RejectLogInterval"/> so a flood of bad
/// messages cannot flood the log.
/// </summary>
public sealed class GatewayStats(IOptions<GatewayOptions> options, ILogger<GatewayStats> logger, IMeterFactory meters)
{
    private readonly Meter _meter = meters.Create("CommandCenter.DeviceGateway");
    private readonly ConcurrentDictionary<RejectReason, long> _rejected = new();
    private readonly ConcurrentDictionary<RejectReason, DateTimeOffset> _lastLogged = new();
    private long _accepted, _failed;

    public void Accepted() => Interlocked.Increment(ref _accepted);

    public void Rejected(string clientId, string topic, RejectedMessageException rejection)
    {
        var count = _rejected.AddOrUpdate(rejection.Reason, 1, (_, n) => n + 1);
        var now = DateTimeOffset.UtcNow;
        var last = _lastLogged.GetValueOrDefault(rejection.Reason);
        if (now - last < options.Value.RejectLogInterval) return;
        _lastLogged[rejection.Reason] = now;
        logger.LogWarning("Rejected message from client {ClientId} on {Topic}: {Detail} ({Reason}, {Count} so far)",
            clientId, topic, rejection.Message, rejection.Reason, count);
    }

    public void Failed(Exception error, string topic)
    {
        var count = Interlocked.Increment(ref _failed);
        if (count == 1 || count % options.Value.FailureLogEvery == 0)
            logger.LogError(error, "Delivering a message on {Topic} to its grain failed ({Count} so far)", topic, count);
    }

    public GatewayStatsSnapshot Snapshot() => new(
        Interlocked.Read(ref _accepted), _rejected.Values.Sum(), Interlocked.Read(ref _failed),
        _rejected.ToDictionary(r => r.Key.ToString().ToLowerInvariant(), r => r.Value));

    internal void RegisterInstruments()
    {
        _meter.CreateObservableCounter("gateway.messages.accepted", () => Interlocked.Read(ref _accepted));
        _meter.CreateObservableCounter("gateway.messages.rejected", () => _rejected.Values.Sum());
        _meter.CreateObservableCounter("gateway.messages.failed", () => Interlocked.Read(ref _failed));
    }
}
