using System.Buffers.Binary;
using System.Globalization;
using System.Text;

namespace CommandCenter.Simulators.Cameras;

/// <summary>Reads RTSP requests from a connection, skipping the interleaved '$' frames (RTCP reports) clients send.</summary>
internal sealed class RtspRequestReader(Stream stream)
{
    private const int MaxHeadLength = 16 * 1024;
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();

    private byte[] _buffer = new byte[4096];
    private int _start;
    private int _end;

    /// <summary>The next request, or null when the client closed the connection.</summary>
    public async Task<RtspRequest?> ReadAsync(CancellationToken ct)
    {
        while (true)
        {
            if (Buffered > 0 && _buffer[_start] == InterleavedFrame.Marker)
            {
                if (!await SkipInterleavedFrameAsync(ct)) return null;
                continue;
            }
            var headEnd = _buffer.AsSpan(_start, Buffered).IndexOf(EndOfHead);
            if (headEnd >= 0)
            {
                var head = Encoding.UTF8.GetString(_buffer, _start, headEnd);
                _start += headEnd + EndOfHead.Length;
                var request = RtspRequest.Parse(head);
                var bodyLength = int.TryParse(request.Header("Content-Length"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
                if (!await SkipAsync(bodyLength, ct)) return null;
                return request;
            }
            if (Buffered >= MaxHeadLength) throw new InvalidDataException("RTSP request head too long.");
            if (!await FillAsync(ct)) return null;
        }
    }

    private int Buffered => _end - _start;

    private async Task<bool> SkipInterleavedFrameAsync(CancellationToken ct)
    {
        while (Buffered < InterleavedFrame.HeaderLength)
            if (!await FillAsync(ct)) return false;
        var length = BinaryPrimitives.ReadUInt16BigEndian(_buffer.AsSpan(_start + 2, 2));
        _start += InterleavedFrame.HeaderLength;
        return await SkipAsync(length, ct);
    }

    private async Task<bool> SkipAsync(int count, CancellationToken ct)
    {
        while (count > 0)
        {
            if (Buffered == 0 && !await FillAsync(ct)) return false;
            var skipped = Math.Min(count, Buffered);
            _start += skipped;
            count -= skipped;
        }
        return true;
    }

    private async Task<bool> FillAsync(CancellationToken ct)
    {
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, Buffered);
            _end -= _start;
            _start = 0;
        }
        if (_end == _buffer.Length) Array.Resize(ref _buffer, _buffer.Length * 2);
        var read = await stream.ReadAsync(_buffer.AsMemory(_end), ct);
        _end += read;
        return read > 0;
    }
}
