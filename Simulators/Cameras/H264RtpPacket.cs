namespace CommandCenter.Simulators.Cameras;

/// <summary>Just enough RTP (RFC 3550) and H.264 payload (RFC 6184) parsing to find where a keyframe starts.</summary>
internal static class H264RtpPacket
{
    private const int FixedHeaderLength = 12;
    private const int SequenceParameterSet = 7;
    private const int IdrSlice = 5;
    private const int SingleTimeAggregation = 24;
    private const int FragmentationUnit = 28;

    /// <summary>
    /// True when the packet begins a keyframe access unit: it starts with the sequence parameter set (alone or
    /// first in an aggregation packet), or is the first fragment of an IDR slice.
    /// </summary>
    public static bool StartsKeyframe(ReadOnlySpan<byte> packet)
    {
        var payload = Payload(packet);
        if (payload.IsEmpty) return false;
        var type = payload[0] & 0x1F;
        return type switch
        {
            SequenceParameterSet => true,
            SingleTimeAggregation => payload.Length > 3 && (payload[3] & 0x1F) == SequenceParameterSet,
            FragmentationUnit => payload.Length > 1 && (payload[1] & 0x80) != 0
                                 && (payload[1] & 0x1F) is SequenceParameterSet or IdrSlice,
            _ => false,
        };
    }

    private static ReadOnlySpan<byte> Payload(ReadOnlySpan<byte> packet)
    {
        if (packet.Length < FixedHeaderLength || packet[0] >> 6 != 2) return [];
        var offset = FixedHeaderLength + 4 * (packet[0] & 0x0F);
        if ((packet[0] & 0x10) != 0)
        {
            if (packet.Length < offset + 4) return [];
            offset += 4 + 4 * (packet[offset + 2] << 8 | packet[offset + 3]);
        }
        var padding = (packet[0] & 0x20) != 0 && packet.Length > 0 ? packet[^1] : 0;
        return offset + padding < packet.Length ? packet[offset..^padding] : [];
    }
}
