using CommandCenter.Grains.Devices;

namespace CommandCenter.Web.Live;

/// <summary>
/// Device changes waiting to be sent to one screen's map: the latest snapshot per device (null for a device the board
/// forgot), taken first come, first served. A device changing again keeps its place in the queue, so devices reporting
/// often cannot keep others off the map however many change at once.
/// </summary>
public sealed class PendingDevices
{
    private readonly Dictionary<string, DeviceSnapshot?> _latest = [];
    private readonly Queue<string> _order = new();

    public int Count => _latest.Count;

    public void Add(string key, DeviceSnapshot? device)
    {
        if (_latest.TryAdd(key, device)) _order.Enqueue(key);
        else _latest[key] = device;
    }

    /// <summary>The <paramref name="most"/> devices waiting longest, each with its latest snapshot.</summary>
    public List<KeyValuePair<string, DeviceSnapshot?>> Take(int most)
    {
        var taken = new List<KeyValuePair<string, DeviceSnapshot?>>(Math.Min(most, _latest.Count));
        while (taken.Count < most && _order.TryDequeue(out var key))
            if (_latest.Remove(key, out var device)) taken.Add(new(key, device));
        return taken;
    }
}
