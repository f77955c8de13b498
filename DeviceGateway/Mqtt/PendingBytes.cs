using System.Collections.Concurrent;

namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>
/// Payload bytes queued for each subscriber. The broker bounds a queue by message count only, so a
/// subscriber that stops reading could hold its count in large messages; this bounds it by bytes too.
/// </summary>
public sealed class PendingBytes(long budgetPerClient)
{
    private readonly ConcurrentDictionary<string, long> _pending = new();

    /// <returns>False when the message would take the client over its budget: it is not queued.</returns>
    public bool TryEnqueue(string clientId, long bytes)
    {
        while (true)
        {
            var current = _pending.GetOrAdd(clientId, 0);
            if (current + bytes > budgetPerClient) return false;
            if (_pending.TryUpdate(clientId, current + bytes, current)) return true;
        }
    }

    /// <summary>Sent to the client or dropped from its queue.</summary>
    public void Dequeued(string clientId, long bytes)
    {
        while (_pending.TryGetValue(clientId, out var current))
        {
            // Messages queued without passing TryEnqueue (retained ones at subscription) never go below zero.
            if (_pending.TryUpdate(clientId, Math.Max(0, current - bytes), current)) return;
        }
    }

    /// <summary>The client's session and its queue are gone.</summary>
    public void Forget(string clientId) => _pending.TryRemove(clientId, out _);

    public long Of(string clientId) => _pending.GetValueOrDefault(clientId);
}
