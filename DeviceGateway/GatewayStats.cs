using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using CommandCenter.DeviceGateway.Contract;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CommandCenter.DeviceGateway;

/// <param name="Late">Accepted measurements older than their device's last report, not applied to live state.</param>
/// <param name="QueueDropped">Messages not queued for a subscriber over its byte budget.</param>
/// <param name="RetainIgnored">Publishes whose retain flag was dropped (the broker keeps nothing from devices).</param>
/// <param name="SecretChecks">PBKDF2 runs to check a device's secret at sign-in (secrets already checked cost none).</param>
public sealed record GatewayStatsSnapshot(long Accepted, long Rejected, long Failed, IReadOnlyDictionary<string, long> RejectedByReason,
    long Late, long QueueDropped, long RetainIgnored, long SecretChecks);

/// <summary>
/// Counts what the gateway accepted, rejected and failed to deliver, and logs rejections
/// at most once per reason per <see cref="GatewayOptions.RejectLogInterval"/> so a flood of bad
/// messages cannot flood the log. What a device chose (topic, client id) is logged through
/// <see cref="LogText.Safe"/>.
/// </summary>
public sealed class GatewayStats(IOptions<GatewayOptions> options, ILogger<GatewayStats> logger, IMeterFactory meters)
{
    private readonly Meter _meter = meters.Create("CommandCenter.DeviceGateway");
    private readonly ConcurrentDictionary<RejectReason, long> _rejected = new();
    private readonly ConcurrentDictionary<RejectReason, DateTimeOffset> _lastLogged = new();
    private long _accepted, _failed, _late, _queueDropped, _retainIgnored, _secretChecks;

    public void Accepted() => Interlocked.Increment(ref _accepted);

    public void Late() => Interlocked.Increment(ref _late);

    public void QueueDropped() => Interlocked.Increment(ref _queueDropped);

    public void RetainIgnored() => Interlocked.Increment(ref _retainIgnored);

    public void SecretChecked() => Interlocked.Increment(ref _secretChecks);

    public void Rejected(string clientId, string topic, RejectedMessageException rejection)
    {
        var count = _rejected.AddOrUpdate(rejection.Reason, 1, (_, n) => n + 1);
        var now = DateTimeOffset.UtcNow;
        var last = _lastLogged.GetValueOrDefault(rejection.Reason);
        if (now - last < options.Value.RejectLogInterval) return;
        _lastLogged[rejection.Reason] = now;
        logger.LogWarning("Rejected message from client {ClientId} on {Topic}: {Detail} ({Reason}, {Count} so far)",
            LogText.Safe(clientId), LogText.Safe(topic), rejection.Message, rejection.Reason, count);
    }

    public void Failed(Exception error, string topic)
    {
        var count = Interlocked.Increment(ref _failed);
        if (count == 1 || count % options.Value.FailureLogEvery == 0)
            logger.LogError(error, "Delivering a message on {Topic} to its grain failed ({Count} so far)", LogText.Safe(topic), count);
    }

    public GatewayStatsSnapshot Snapshot() => new(
        Interlocked.Read(ref _accepted), _rejected.Values.Sum(), Interlocked.Read(ref _failed),
        _rejected.ToDictionary(r => r.Key.ToString().ToLowerInvariant(), r => r.Value),
        Interlocked.Read(ref _late), Interlocked.Read(ref _queueDropped), Interlocked.Read(ref _retainIgnored), Interlocked.Read(ref _secretChecks));

    internal void RegisterInstruments()
    {
        _meter.CreateObservableCounter("gateway.messages.accepted", () => Interlocked.Read(ref _accepted));
        _meter.CreateObservableCounter("gateway.messages.rejected", () => _rejected.Values.Sum());
        _meter.CreateObservableCounter("gateway.messages.failed", () => Interlocked.Read(ref _failed));
        _meter.CreateObservableCounter("gateway.messages.late", () => Interlocked.Read(ref _late));
        _meter.CreateObservableCounter("gateway.messages.queue_dropped", () => Interlocked.Read(ref _queueDropped));
        _meter.CreateObservableCounter("gateway.sign_in.secret_checks", () => Interlocked.Read(ref _secretChecks));
    }
}
