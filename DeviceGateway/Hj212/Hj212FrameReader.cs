using System.Text;

namespace CommandCenter.DeviceGateway.Hj212;

/// <summary>What the reader found in the byte stream: a data segment whose CRC matched, or why bytes were dropped.</summary>
public readonly record struct Hj212ReadResult(string? DataSegment, Hj212FrameError Error, string? Detail)
{
    public bool IsFrame => DataSegment is not null;
}

public enum Hj212FrameError { None, Garbage, Length, Oversized, Crc, Trailer }

/// <summary>
/// Finds frames in a TCP byte stream, which splits and joins them at will. Holds at most one frame's worth of
/// bytes (the maximum data length plus the envelope), so a monitor cannot make it grow. After a bad frame it
/// looks for the next <c>##</c> rather than trusting the bad length, so one corrupt byte costs one frame, not the connection.
/// </summary>
public sealed class Hj212FrameReader(int maxDataLength)
{
    private readonly byte[] _buffer = new byte[Hj212Frame.HeaderLength + maxDataLength + Hj212Frame.TrailerLength];
    private int _count;

    public int MaxDataLength { get; } = maxDataLength;

    /// <summary>Takes the bytes of one read and returns every frame and error they complete, in order.</summary>
    public List<Hj212ReadResult> Feed(ReadOnlySpan<byte> bytes)
    {
        var results = new List<Hj212ReadResult>();
        while (bytes.Length > 0)
        {
            var take = Math.Min(bytes.Length, _buffer.Length - _count);
            bytes[..take].CopyTo(_buffer.AsSpan(_count));
            _count += take;
            bytes = bytes[take..];
            while (TryTake(results)) { }
        }
        return results;
    }

    /// <returns>Whether it consumed something and should look again.</returns>
    private bool TryTake(List<Hj212ReadResult> results)
    {
        var start = IndexOfStart();
        if (start < 0)
        {
            // Keep a trailing '#': it may be the first half of the next "##".
            var keep = _count > 0 && _buffer[_count - 1] == '#' ? 1 : 0;
            if (_count - keep > 0) results.Add(Garbage(_count - keep));
            Drop(_count - keep);
            return false;
        }
        if (start > 0)
        {
            results.Add(Garbage(start));
            Drop(start);
        }
        if (_count < Hj212Frame.HeaderLength) return false;
        if (!TryLength(out var length))
        {
            results.Add(new(null, Hj212FrameError.Length, $"length '{Printable(2, 4)}' is not four decimal digits"));
            Drop(2);
            return true;
        }
        if (length > MaxDataLength)
        {
            results.Add(new(null, Hj212FrameError.Oversized, $"data segment of {length} bytes is over the maximum of {MaxDataLength}"));
            Drop(2);
            return true;
        }
        var total = Hj212Frame.HeaderLength + length + Hj212Frame.TrailerLength;
        if (_count < total) return false;
        var data = _buffer.AsSpan(Hj212Frame.HeaderLength, length);
        var trailer = _buffer.AsSpan(Hj212Frame.HeaderLength + length, Hj212Frame.TrailerLength);
        if (trailer[4] != '\r' || trailer[5] != '\n')
        {
            results.Add(new(null, Hj212FrameError.Trailer, "the frame does not end in CR LF where its length says"));
            Drop(2);
            return true;
        }
        var expected = Hj212Crc.Compute(data);
        if (!ushort.TryParse(trailer[..4], System.Globalization.NumberStyles.AllowHexSpecifier, null, out var sent) || sent != expected)
        {
            results.Add(new(null, Hj212FrameError.Crc, $"CRC '{Printable(Hj212Frame.HeaderLength + length, 4)}' does not match {expected:X4}"));
            Drop(total);
            return true;
        }
        results.Add(new(Encoding.UTF8.GetString(data), Hj212FrameError.None, null));
        Drop(total);
        return true;
    }

    private int IndexOfStart() => _buffer.AsSpan(0, _count).IndexOf("##"u8);

    private bool TryLength(out int length)
    {
        length = 0;
        for (var i = 2; i < Hj212Frame.HeaderLength; i++)
        {
            var b = _buffer[i];
            if (b is < (byte)'0' or > (byte)'9') return false;
            length = length * 10 + (b - '0');
        }
        return true;
    }

    private Hj212ReadResult Garbage(int bytes) => new(null, Hj212FrameError.Garbage, $"{bytes} bytes outside a frame skipped");

    private string Printable(int offset, int length) =>
        LogText.Safe(Encoding.ASCII.GetString(_buffer, offset, Math.Min(length, _count - offset)));

    private void Drop(int bytes)
    {
        _buffer.AsSpan(bytes, _count - bytes).CopyTo(_buffer);
        _count -= bytes;
    }
}
