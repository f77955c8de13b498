using CommandCenter.Grains.Devices;
using CommandCenter.Grains.Live;

namespace CommandCenter.Web.Live;

/// <summary>
/// The rows of the live page's device table: at most <c>maxRows</c> devices matching the filter, offline and
/// exceeding ones first. The board can hold tens of thousands of devices, so a push does not re-sort them all:
/// rows already shown are updated in place, and the table is rebuilt only when a change can alter which devices
/// are shown or their order.
/// </summary>
public sealed class DeviceTable(LiveBoard board, int maxRows)
{
    public static readonly Comparer<DeviceSnapshot> Order = Comparer<DeviceSnapshot>.Create((a, b) =>
    {
        if (a.Online != b.Online) return a.Online ? 1 : -1;
        var exceeded = b.ExceededPollutants.Count.CompareTo(a.ExceededPollutants.Count);
        if (exceeded != 0) return exceeded;
        return a.Kind != b.Kind ? a.Kind.CompareTo(b.Kind) : string.CompareOrdinal(a.Id, b.Id);
    });

    private List<DeviceSnapshot> _rows = [];
    private readonly Dictionary<string, int> _rowOf = [];
    private int _matching;

    public string Filter { get; private set; } = "";
    public IReadOnlyList<DeviceSnapshot> Rows => _rows;
    /// <summary>Devices matching the filter that are not drawn.</summary>
    public int Hidden => Math.Max(0, (Filter.Length == 0 ? TotalDevices() : _matching) - _rows.Count);

    public void SetFilter(string filter)
    {
        Filter = filter.Trim();
        Rebuild();
    }

    public void Apply(LiveChanges changes)
    {
        if (changes.Forgotten.Count > 0 || (Filter.Length > 0 && changes.Devices.Any(Matches)) || changes.Devices.Any(Reorders))
        {
            Rebuild();
            return;
        }
        foreach (var device in changes.Devices)
            if (_rowOf.TryGetValue(device.Key, out var row)) _rows[row] = device;
    }

    public void Rebuild()
    {
        var matching = 0;
        // Counted while the one pass over the board goes by, rather than in a second pass.
        _rows = board.EachDevice().Where(d => Matches(d) && ++matching > 0).OrderBy(d => d, Order).Take(maxRows).ToList();
        _matching = matching;
        _rowOf.Clear();
        for (var i = 0; i < _rows.Count; i++) _rowOf[_rows[i].Key] = i;
    }

    private bool Matches(DeviceSnapshot device) => Filter.Length == 0 || device.Id.Contains(Filter, StringComparison.OrdinalIgnoreCase);

    /// <summary>Whether this change can move a row, or bring a device into the table.</summary>
    private bool Reorders(DeviceSnapshot device)
    {
        if (!Matches(device)) return false;
        if (_rowOf.TryGetValue(device.Key, out var row)) return Order.Compare(device, _rows[row]) != 0;
        return _rows.Count < maxRows || Order.Compare(device, _rows[^1]) < 0;
    }

    private int TotalDevices() => Enum.GetValues<DeviceKind>().Sum(kind => board.Count(kind).Total);
}
