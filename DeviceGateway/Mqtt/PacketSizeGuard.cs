namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>
/// Sits between a device's socket and the MQTT reader and follows the packet framing as bytes pass:
/// when a fixed header announces a packet longer than the limit, it fails the read before the
/// reader sees the length. The MQTT reader allocates a packet's whole body as soon as it knows its
/// length (up to 256 MB per packet), so the limit has to act here, not in any later hook.
/// </summary>
public sealed class PacketSizeGuard(Stream inner, int maxRemainingLength, Action<int> oversized) : ReadingStream(inner)
{
    private enum Part { TypeByte, Length, Body }

    private Part _part = Part.TypeByte;
    private int _length, _lengthBytes, _multiplier = 1;
    private long _bodyLeft;

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await Inner.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
        Follow(buffer.Span[..read]);
        return read;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = Inner.Read(buffer, offset, count);
        Follow(buffer.AsSpan(offset, read));
        return read;
    }

    private void Follow(ReadOnlySpan<byte> bytes)
    {
        var i = 0;
        while (i < bytes.Length)
        {
            switch (_part)
            {
                case Part.TypeByte:
                    i++;
                    (_part, _length, _lengthBytes, _multiplier) = (Part.Length, 0, 0, 1);
                    break;
                case Part.Length:
                    var b = bytes[i++];
                    // Variable length: 7 bits a byte, low first, at most 4 bytes (MQTT 3.1.1 §2.2.3).
                    _length += (b & 0x7F) * _multiplier;
                    _multiplier *= 128;
                    _lengthBytes++;
                    if (_length > maxRemainingLength || (b & 0x80) != 0 && _lengthBytes == 4)
                    {
                        oversized(_length);
                        throw new IOException($"MQTT packet of at least {_length} bytes is larger than the limit of {maxRemainingLength}");
                    }
                    if ((b & 0x80) != 0) break;
                    _bodyLeft = _length;
                    _part = _bodyLeft == 0 ? Part.TypeByte : Part.Body;
                    break;
                case Part.Body:
                    var skip = (int)Math.Min(_bodyLeft, bytes.Length - i);
                    i += skip;
                    _bodyLeft -= skip;
                    if (_bodyLeft == 0) _part = Part.TypeByte;
                    break;
            }
        }
    }
}
