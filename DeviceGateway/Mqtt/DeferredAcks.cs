using System.Collections;

namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>
/// The QoS 1 telemetry of one MQTT session on its way to the grains. The broker reads a connection's packets one
/// after another and would wait for each grain before reading the next; instead the reader starts the delivery and
/// reads on, and the PUBACK — which the connection's writer sends in the order the publishes came — waits for its
/// delivery. A device still hears "taken" only once the grain has its message, while a connection keeps up to
/// <see cref="MaxPending"/> messages moving instead of one.
/// </summary>
public sealed class DeferredAcks
{
    /// <summary>Enough to cover the publishes a device keeps in flight; bounded, so a client that never waits for its
    /// PUBACKs stops being read instead of queueing grain calls without end.</summary>
    public const int MaxPending = 32;

    public const string SessionItem = "cc.deferred-acks";

    private readonly Dictionary<ushort, Task<bool>> _pending = [];
    private readonly SemaphoreSlim _slots = new(MaxPending, MaxPending);
    private int _receiving = -1;

    public static DeferredAcks? Of(IDictionary sessionItems) => sessionItems[SessionItem] as DeferredAcks;

    /// <summary>The reader is at a QoS 1 publish with this identifier; its publish hook comes next, on the same reader.</summary>
    public void Receiving(ushort packetId) => _receiving = packetId;

    /// <summary>The identifier of the publish being handled; -1 for a message that came another way (a will).</summary>
    public int TakeReceiving()
    {
        var packetId = _receiving;
        _receiving = -1;
        return packetId;
    }

    /// <summary>Waits while <see cref="MaxPending"/> deliveries are under way: the connection is not read meanwhile.</summary>
    public ValueTask WaitForRoom()
    {
        var room = _slots.WaitAsync();
        return room.IsCompletedSuccessfully ? ValueTask.CompletedTask : new ValueTask(room);
    }

    /// <summary>A delivery finished before it needed to be deferred.</summary>
    public void Done() => _slots.Release();

    /// <summary>Holds the PUBACK of <paramref name="packetId"/> until <paramref name="delivery"/> completes.</summary>
    public void Defer(ushort packetId, Task<bool> delivery)
    {
        // A client resending under the same identifier after a reconnect replaces the entry its old connection left.
        lock (_pending) _pending[packetId] = delivery;
        delivery.ContinueWith(static (_, slots) => ((SemaphoreSlim)slots!).Release(), _slots,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }

    /// <summary>The delivery a PUBACK about to be sent waits for; null when it was not deferred.</summary>
    public Task<bool>? Take(ushort packetId)
    {
        lock (_pending) return _pending.Remove(packetId, out var delivery) ? delivery : null;
    }

    /// <summary>Completes once every delivery started so far has: messages that must not overtake them wait for this.</summary>
    public Task Drained()
    {
        Task[] pending;
        lock (_pending)
        {
            if (_pending.Count == 0) return Task.CompletedTask;
            pending = [.. _pending.Values];
        }
        // Failures are the router's to count; here only the end matters.
        return Task.WhenAll(pending).ContinueWith(static _ => { }, CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
