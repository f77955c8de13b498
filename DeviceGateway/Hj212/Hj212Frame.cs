using System.Text;

namespace CommandCenter.DeviceGateway.Hj212;

/// <summary>
/// The HJ 212-2017 envelope: <c>##</c>, the data segment's length as four decimal digits, the data segment,
/// its CRC as four upper-case hex digits, CR LF. The data segment is ASCII in practice; it is read as UTF-8
/// so a Chinese name in a field does not corrupt the rest.
/// </summary>
public static class Hj212Frame
{
    public const int HeaderLength = 6;   // "##" + 4 digits
    public const int TrailerLength = 6;  // 4 hex digits + CR LF
    /// <summary>The standard's ceiling for the data segment; four decimal digits could say up to 9999.</summary>
    public const int StandardMaxDataLength = 1024;

    public static byte[] Encode(string dataSegment)
    {
        var data = Encoding.UTF8.GetBytes(dataSegment);
        if (data.Length > 9999) throw new ArgumentException("an HJ 212 data segment is at most 9999 bytes", nameof(dataSegment));
        var frame = new byte[HeaderLength + data.Length + TrailerLength];
        Encoding.ASCII.GetBytes($"##{data.Length:D4}", frame);
        data.CopyTo(frame, HeaderLength);
        Encoding.ASCII.GetBytes($"{Hj212Crc.Compute(data):X4}\r\n", frame.AsSpan(HeaderLength + data.Length));
        return frame;
    }
}
