namespace CommandCenter.DeviceGateway.Hj212;

/// <summary>
/// Collects the parts of split packets (PNUM/PNO) on one connection until every part of a QN is in. Bounded twice:
/// at most <see cref="Hj212Options.MaxPendingSplits"/> QNs at once (a newer one pushes the oldest out) and each
/// dropped after <see cref="Hj212Options.SplitTimeout"/>, so a monitor that never sends its last part costs nothing lasting.
/// </summary>
public sealed class Hj212SplitPackets(Hj212Options options, TimeProvider clock)
{
    private sealed class Pending(Hj212Packet first, DateTimeOffset started)
    {
        public Hj212Packet First { get; } = first;
        public DateTimeOffset Started { get; } = started;
        public string?[] Parts { get; } = new string?[first.PartCount!.Value];
    }

    private readonly Dictionary<(string Mn, string Qn), Pending> _pending = [];

    public int Count => _pending.Count;

    /// <summary>Adds one part; returns the whole packet (CP of every part joined in PNO order) once the last part is in.</summary>
    /// <param name="dropped">Incomplete packets this call pushed out, for counting.</param>
    public Hj212Packet? Add(Hj212Packet part, out int dropped)
    {
        dropped = 0;
        var key = (part.Mn, part.Qn);
        if (!_pending.TryGetValue(key, out var pending) || pending.Parts.Length != part.PartCount)
        {
            if (pending is null && _pending.Count >= options.MaxPendingSplits)
            {
                _pending.Remove(_pending.MinBy(p => p.Value.Started).Key);
                dropped++;
            }
            // A part announcing another PNUM for the same QN starts the packet over: the parts collected so far are dropped.
            if (pending is not null) dropped++;
            _pending[key] = pending = new Pending(part, clock.GetUtcNow());
        }
        // A part sent twice (a retry after a lost reply) replaces itself.
        pending.Parts[part.PartNumber!.Value - 1] = part.Cp;
        if (pending.Parts.Any(p => p is null)) return null;
        _pending.Remove(key);
        return pending.First with { PartCount = null, PartNumber = null, Cp = string.Join(';', pending.Parts) };
    }

    /// <summary>Drops packets waiting longer than the timeout; returns how many.</summary>
    public int Expire()
    {
        var now = clock.GetUtcNow();
        var stale = _pending.Where(p => now - p.Value.Started > options.SplitTimeout).Select(p => p.Key).ToList();
        foreach (var key in stale) _pending.Remove(key);
        return stale.Count;
    }
}
