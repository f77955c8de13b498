using System.Buffers;

namespace CommandCenter.DeviceGateway.Mqtt;

/// <summary>
/// Reads a device's socket a buffer at a time. The MQTT reader asks for a packet in pieces — the first two bytes,
/// then any further length bytes one by one, then the body — and each piece would be a system call of its own; under
/// load one read here takes in many packets at once. The buffer is borrowed only while it holds bytes: a connection
/// waits for data with a zero-byte read, so thousands of quiet devices hold no buffers.
/// </summary>
public sealed class ReadAheadStream(Stream inner, int bufferBytes = ReadAheadStream.DefaultBufferBytes) : ReadingStream(inner)
{
    public const int DefaultBufferBytes = 4096;

    private byte[]? _buffer;
    private int _start, _end;

    public override async ValueTask<int> ReadAsync(Memory<byte> destination, CancellationToken cancellationToken = default)
    {
        if (destination.IsEmpty) return 0;
        if (_start == _end)
        {
            GiveBack();
            await Inner.ReadAsync(Memory<byte>.Empty, cancellationToken).ConfigureAwait(false);
            // A read as large as the buffer gains nothing from it.
            if (destination.Length >= bufferBytes) return await Inner.ReadAsync(destination, cancellationToken).ConfigureAwait(false);
            var buffer = ArrayPool<byte>.Shared.Rent(bufferBytes);
            int read;
            try
            {
                read = await Inner.ReadAsync(buffer.AsMemory(0, bufferBytes), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                ArrayPool<byte>.Shared.Return(buffer);
                throw;
            }
            if (read == 0)
            {
                ArrayPool<byte>.Shared.Return(buffer);
                return 0;
            }
            (_buffer, _start, _end) = (buffer, 0, read);
        }
        return TakeBuffered(destination.Span);
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

    public override int Read(byte[] buffer, int offset, int count)
    {
        if (count == 0) return 0;
        if (_start == _end)
        {
            GiveBack();
            return Inner.Read(buffer, offset, count);
        }
        return TakeBuffered(buffer.AsSpan(offset, count));
    }

    private int TakeBuffered(Span<byte> destination)
    {
        var count = Math.Min(destination.Length, _end - _start);
        _buffer.AsSpan(_start, count).CopyTo(destination);
        _start += count;
        return count;
    }

    // A buffer still held when the connection is disposed is left to the collector, not returned: the connection may be
    // closed from another thread while a read is under way, and a buffer returned twice would be handed to two readers.
    private void GiveBack()
    {
        if (_buffer is null) return;
        ArrayPool<byte>.Shared.Return(_buffer);
        (_buffer, _start, _end) = (null, 0, 0);
    }
}
