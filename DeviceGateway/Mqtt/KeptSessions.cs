namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>
/// The broker's sessions as MQTT keeps them between connections, with the bounds this command center puts on them:
/// who owns each (a session is never handed to another identity), how long a disconnected one is kept, and how
/// many disconnected ones are kept at most (the oldest goes first). The sessions themselves live in MQTTnet;
/// this decides which of them must go.
/// </summary>
public sealed class KeptSessions(int maxKept, TimeProvider time)
{
    private sealed class Entry(MqttIdentity? owner, TimeSpan? expiry)
    {
        public MqttIdentity? Owner { get; } = owner;
        /// <summary>How long the session outlives its connection; null when it ends with the connection.</summary>
        public TimeSpan? Expiry { get; } = expiry;
        public DateTimeOffset? DisconnectedAt { get; set; }
    }

    private readonly Dictionary<string, Entry> _entries = [];
    private int _disconnected;

    /// <summary>Disconnected sessions kept now.</summary>
    public int Count { get { lock (_entries) return _disconnected; } }

    /// <summary>True when a session under <paramref name="clientId"/> exists and belongs to someone else: it must not be resumed by this identity.</summary>
    public bool BelongsToOther(string clientId, MqttIdentity? identity)
    {
        lock (_entries) return _entries.TryGetValue(clientId, out var entry) && !Equals(entry.Owner, identity);
    }

    /// <summary>True when the session under <paramref name="clientId"/> has outlived its expiry but is still there.</summary>
    public bool HasExpired(string clientId)
    {
        lock (_entries) return _entries.TryGetValue(clientId, out var entry) && IsExpired(entry, time.GetUtcNow());
    }

    /// <summary>
    /// A connection of <paramref name="owner"/> took the session; <paramref name="expiry"/> is how long it is kept once
    /// the connection ends (null: it ends with the connection).
    /// </summary>
    public void Connected(string clientId, MqttIdentity? owner, TimeSpan? expiry)
    {
        lock (_entries)
        {
            if (_entries.TryGetValue(clientId, out var old) && old.DisconnectedAt is not null) _disconnected--;
            _entries[clientId] = new Entry(owner, expiry);
        }
    }

    /// <summary>
    /// The connection ended and its session stays (unless it was a clean one, which the broker deletes itself).
    /// Returns the sessions to delete now: the oldest disconnected ones beyond the bound.
    /// </summary>
    public IReadOnlyList<string> Disconnected(string clientId)
    {
        lock (_entries)
        {
            if (!_entries.TryGetValue(clientId, out var entry) || entry.Expiry is null || entry.DisconnectedAt is not null) return [];
            entry.DisconnectedAt = time.GetUtcNow();
            _disconnected++;
            var evicted = new List<string>();
            while (_disconnected > maxKept)
            {
                var oldest = _entries.Where(e => e.Value.DisconnectedAt is not null).MinBy(e => e.Value.DisconnectedAt!.Value).Key;
                Remove(oldest);
                evicted.Add(oldest);
            }
            return evicted;
        }
    }

    /// <summary>The session is gone from the broker.</summary>
    public void Deleted(string clientId)
    {
        lock (_entries) Remove(clientId);
    }

    /// <summary>The disconnected sessions past their expiry; they are forgotten here and must be deleted from the broker.</summary>
    public IReadOnlyList<string> TakeExpired()
    {
        var now = time.GetUtcNow();
        lock (_entries)
        {
            var expired = _entries.Where(e => IsExpired(e.Value, now)).Select(e => e.Key).ToList();
            foreach (var clientId in expired) Remove(clientId);
            return expired;
        }
    }

    /// <summary>How long the session under <paramref name="clientId"/> is kept after its connection; null when it is not kept.</summary>
    public TimeSpan? ExpiryOf(string clientId)
    {
        lock (_entries) return _entries.TryGetValue(clientId, out var entry) ? entry.Expiry : null;
    }

    private static bool IsExpired(Entry entry, DateTimeOffset now) =>
        entry is { DisconnectedAt: { } at, Expiry: { } expiry } && now - at >= expiry;

    private void Remove(string clientId)
    {
        if (_entries.Remove(clientId, out var entry) && entry.DisconnectedAt is not null) _disconnected--;
    }
}
