using System.Buffers.Binary;
using CommandCenter.Grains.Devices;

namespace CommandCenter.Web.Live;

/// <summary>A device the map has not seen before: its kind and id, sent once; later changes refer to it by number.</summary>
public sealed record MapDevice(int Index, string Key, string Kind, string Id);

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

    /// <param name="changes">Latest snapshot per device key; null for a device the board forgot.</param>
    /// <returns>Devices numbered for the first time (in number order), and the records; null records when nothing is to be drawn.</returns>
    public (List<MapDevice> Added, byte[]? Records) Encode(IReadOnlyCollection<KeyValuePair<string, DeviceSnapshot?>> changes)
    {
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
            }
            else if (device.Position is { } at)
            {
                if (!_indexOf.TryGetValue(key, out index))
                {
                    index = _indexOf.Count;
                    _indexOf[key] = index;
                    added.Add(new MapDevice(index, key, device.Kind.Name(), device.Id));
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

    private static void Write(Span<byte> to, int index, float lat, float lon, int flags)
    {
        BinaryPrimitives.WriteSingleLittleEndian(to, index);
        BinaryPrimitives.WriteSingleLittleEndian(to[4..], lat);
        BinaryPrimitives.WriteSingleLittleEndian(to[8..], lon);
        BinaryPrimitives.WriteSingleLittleEndian(to[12..], flags);
    }
}
