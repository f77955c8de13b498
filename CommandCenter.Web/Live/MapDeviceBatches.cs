using System.Buffers.Binary;
using CommandCenter.Grains.Devices;

namespace CommandCenter.Web.Live;

/// <summary>
/// A device the map has not seen before: its kind and id, sent once; later changes refer to it by number. A camera
/// carries where it looks (heading, field of view in degrees, range in metres), sent again when that changes.
/// </summary>
public sealed record MapDevice(int Index, string Key, string Kind, string Id, double[]? View = null);

/// <summary>
/// Turns a screen's pending device changes into one typed-array message for its map: four little-endian float32 per
/// changed device — its number, latitude, longitude and flags (<see cref="Online"/>, <see cref="Exceeded"/>,
/// <see cref="Gone"/>, and an ambient sensor's AQI level 1–6 from bit <see cref="AqiLevelShift"/> on). Sixteen bytes a device instead of a JSON object, and one interop call per push however many
/// devices changed. Float32 keeps a position to within a metre at this city's latitude and longitude.
/// </summary>
public sealed class MapDeviceBatches
{
    public const int RecordBytes = 16;
    public const int Online = 1, Exceeded = 2, Gone = 4;
    /// <summary>Where the AQI level (0: none) sits in the flags; bit 3 is the map's own "drawn" mark.</summary>
    public const int AqiLevelShift = 4;

    private readonly Dictionary<string, int> _indexOf = [];
    // Numbers of devices the board forgot, given again from the next batch on (not in the batch that freed them: the
    // browser reads a batch's new devices before its records, so a number must not change hands within one batch).
    private readonly Stack<int> _free = new();
    private readonly List<int> _freed = [];
    private readonly Dictionary<string, CameraView> _views = [];
    private readonly int _maxDevices;

    /// <param name="maxDevices">
    /// Most devices numbered on one screen's map at a time: what a circuit holds for its map (a number per device here,
    /// and in the browser) stays within this whatever the board holds; devices beyond it wait for a free number.
    /// </param>
    public MapDeviceBatches(int maxDevices = int.MaxValue) => _maxDevices = maxDevices;

    /// <summary>Devices with a number on this screen's map.</summary>
    public int Count => _indexOf.Count;

    /// <summary>Devices not drawn in the last batch because the screen's map was full.</summary>
    public int Refused { get; private set; }

    /// <param name="changes">Latest snapshot per device key; null for a device the board forgot.</param>
    /// <returns>Devices numbered for the first time (in number order), and the records; null records when nothing is to be drawn.</returns>
    public (List<MapDevice> Added, byte[]? Records) Encode(IReadOnlyCollection<KeyValuePair<string, DeviceSnapshot?>> changes)
    {
        foreach (var index in _freed) _free.Push(index);
        _freed.Clear();
        Refused = 0;
        var added = new List<MapDevice>();
        var records = new byte[changes.Count * RecordBytes];
        var length = 0;
        foreach (var (key, device) in changes)
        {
            int index;
            if (device is null)
            {
                // Never drawn here: nothing to take away.
                if (!_indexOf.TryGetValue(key, out index)) continue;
                Write(records.AsSpan(length), index, float.NaN, float.NaN, Gone);
                _indexOf.Remove(key);
                _views.Remove(key);
                _freed.Add(index);
            }
            else if (device.Position is { } at)
            {
                if (!_indexOf.TryGetValue(key, out index))
                {
                    if (_indexOf.Count >= _maxDevices) { Refused++; continue; }
                    index = _free.Count > 0 ? _free.Pop() : _indexOf.Count + _freed.Count;
                    _indexOf[key] = index;
                    added.Add(new MapDevice(index, key, device.Kind.Name(), device.Id, ViewOf(device.View)));
                    if (device.View is { } view) _views[key] = view;
                }
                else if (device.View is { } view && (!_views.TryGetValue(key, out var sent) || sent != view))
                {
                    // A camera turned or was registered again: its cone follows.
                    _views[key] = view;
                    added.Add(new MapDevice(index, key, device.Kind.Name(), device.Id, ViewOf(view)));
                }
                var flags = (device.Online ? Online : 0) | (device.ExceededPollutants.Count > 0 ? Exceeded : 0)
                    | (device.Air?.Level ?? 0) << AqiLevelShift;
                Write(records.AsSpan(length), index, (float)at.Lat, (float)at.Lon, flags);
            }
            else continue;
            length += RecordBytes;
        }
        return (added, length == 0 ? null : records[..length]);
    }

    private static double[]? ViewOf(CameraView? view) => view is { } v ? [v.Heading, v.FieldOfView, v.Range] : null;

    private static void Write(Span<byte> to, int index, float lat, float lon, int flags)
    {
        BinaryPrimitives.WriteSingleLittleEndian(to, index);
        BinaryPrimitives.WriteSingleLittleEndian(to[4..], lat);
        BinaryPrimitives.WriteSingleLittleEndian(to[8..], lon);
        BinaryPrimitives.WriteSingleLittleEndian(to[12..], flags);
    }
}
