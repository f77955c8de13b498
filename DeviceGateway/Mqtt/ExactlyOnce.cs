using System.Collections.Concurrent;

namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>
/// The receiving half of MQTT's QoS 2 for each session: packet identifiers of publishes taken and answered with
/// PUBREC whose PUBREL has not come yet. A publish re-sent under such an identifier (with DUP, on the same
/// connection or after a reconnect to the kept session) is the same message and must not be handled again
/// (MQTT 3.1.1 §4.3.3, MQTT 5 §4.3.3). The broker underneath passes every QoS 2 publish on, so this remembers.
/// </summary>
public sealed class ExactlyOnce(int maxAwaitingPerClient)
{
    private readonly ConcurrentDictionary<string, Awaiting> _sessions = new();

    /// <summary>Packet identifiers of one session, oldest first, so the bound drops the longest-waiting one.</summary>
    private sealed class Awaiting
    {
        public readonly Dictionary<ushort, LinkedListNode<ushort>> Ids = [];
        public readonly LinkedList<ushort> Order = new();
    }

    /// <returns>True for a new message (handle it), false for one already handled and awaiting its PUBREL (answer, do not handle).</returns>
    public bool Received(string clientId, ushort packetId)
    {
        var awaiting = _sessions.GetOrAdd(clientId, _ => new Awaiting());
        lock (awaiting)
        {
            if (awaiting.Ids.ContainsKey(packetId)) return false;
            awaiting.Ids[packetId] = awaiting.Order.AddLast(packetId);
            // A client that never releases its identifiers cannot grow this without end; the oldest are forgotten.
            while (awaiting.Ids.Count > maxAwaitingPerClient)
            {
                awaiting.Ids.Remove(awaiting.Order.First!.Value);
                awaiting.Order.RemoveFirst();
            }
            return true;
        }
    }

    /// <summary>PUBREL came (or the exchange ended with an error): the identifier may carry a new message.</summary>
    public void Released(string clientId, ushort packetId)
    {
        if (!_sessions.TryGetValue(clientId, out var awaiting)) return;
        lock (awaiting)
        {
            if (awaiting.Ids.Remove(packetId, out var node)) awaiting.Order.Remove(node);
        }
    }

    /// <summary>The session ended: its state goes with it.</summary>
    public void Forget(string clientId) => _sessions.TryRemove(clientId, out _);

    public int AwaitingOf(string clientId)
    {
        if (!_sessions.TryGetValue(clientId, out var awaiting)) return 0;
        lock (awaiting) return awaiting.Ids.Count;
    }
}
