using System.Buffers.Binary;

namespace CommandCenter.Simulators.Cameras;

/// <summary>RTP over the RTSP connection (RFC 2326 §10.12): '$', channel, 16-bit big-endian length, packet.</summary>
internal static class InterleavedFrame
{
    public const byte Marker = (byte)'$';
    public const int HeaderLength = 4;

    public static byte[] Build(int channel, ReadOnlySpan<byte> packet)
    {
        var frame = new byte[HeaderLength + packet.Length];
        frame[0] = Marker;
        frame[1] = (byte)channel;
        BinaryPrimitives.WriteUInt16BigEndian(frame.AsSpan(2), (ushort)packet.Length);
        packet.CopyTo(frame.AsSpan(HeaderLength));
        return frame;
    }
}
