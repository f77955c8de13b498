using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Live;

namespace CommandCenter.Web.Live;

/// <summary>
/// Every device matching the filter, offline and exceeding ones first, kept in order as pushes arrive: a change
/// moves one device (two tree operations), never a copy and sort of the board. The page draws only the rows in view
/// (a virtualized table), so the order is the only thing kept for all devices.
/// </summary>
public sealed class DeviceTable(LiveBoard board)
{
    public static readonly Comparer<DeviceSnapshot> Order = Comparer<DeviceSnapshot>.Create((a, b) =>
    {
        if (a.Online != b.Online) return a.Online ? 1 : -1;
        var exceeded = b.ExceededPollutants.Count.CompareTo(a.ExceededPollutants.Count);
        if (exceeded != 0) return exceeded;
        return a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : string.CompareOrdinal(a.Id, b.Id);
    });

    // The order ends on kind and id, so each device has one place in the set; _listed finds the snapshot that holds it.
    private readonly SortedSet<DeviceSnapshot> _rows = new(Order);
    private readonly Dictionary<string, DeviceSnapshot> _listed = [];

    public string Filter { get; private set; } = "";

    /// <summary>The devices matching the filter, in table order.</summary>
    public ICollection<DeviceSnapshot> Rows => _rows;

    public void SetFilter(string filter)
    {
        Filter = filter.Trim();
        Rebuild();
    }

    /// <summary>Forgotten devices leave first, then each changed device takes its new place (or leaves, if it no longer matches).</summary>
    public void Apply(LiveChanges changes)
    {
        foreach (var key in changes.Forgotten) Remove(key);
        foreach (var device in changes.Devices)
        {
            Remove(device.Key);
            if (Matches(device)) Add(device);
        }
    }

    public void Rebuild()
    {
        _rows.Clear();
        _listed.Clear();
        foreach (var device in board.EachDevice())
            if (Matches(device)) Add(device);
    }

    private void Add(DeviceSnapshot device)
    {
        _rows.Add(device);
        _listed[device.Key] = device;
    }

    private void Remove(string key)
    {
        if (_listed.Remove(key, out var old)) _rows.Remove(old);
    }

    private bool Matches(DeviceSnapshot device) => Filter.Length == 0 || device.Id.Contains(Filter, StringComparison.OrdinalIgnoreCase);
}
