using CommandCenter.DeviceGateway.Mqtt;

namespace CommandCenter.DeviceGateway.Tests;

public sealed class PacketSizeGuardTests
{
    /// <summary>A PUBLISH fixed header (type byte, then the remaining length in 7-bit groups) and a body.</summary>
    private static byte[] Packet(int bodyLength, bool withBody = true)
    {
        var bytes = new List<byte> { 0x30 };
        var length = bodyLength;
        do
        {
            var b = (byte)(length % 128);
            length /= 128;
            bytes.Add(length > 0 ? (byte)(b | 0x80) : b);
        } while (length > 0);
        if (withBody) bytes.AddRange(new byte[bodyLength]);
        return bytes.ToArray();
    }

    private static (int Read, int? Oversized, Exception? Error) ReadAll(byte[] wire, int limit, int chunk)
    {
        int? oversized = null;
        using var guard = new PacketSizeGuard(new MemoryStream(wire), limit, length => oversized = length);
        var buffer = new byte[chunk];
        var total = 0;
        try
        {
            int read;
            while ((read = guard.ReadAsync(buffer, 0, chunk, CancellationToken.None).GetAwaiter().GetResult()) > 0) total += read;
            return (total, oversized, null);
        }
        catch (IOException e)
        {
            return (total, oversized, e);
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    [InlineData(4096)]
    public void Packets_up_to_the_limit_pass_however_the_reads_split_them(int chunk)
    {
        var wire = Packet(0).Concat(Packet(100)).Concat(Packet(200)).Concat(Packet(65536)).ToArray();
        var (read, oversized, error) = ReadAll(wire, 65536, chunk);
        Assert.Null(error);
        Assert.Null(oversized);
        Assert.Equal(wire.Length, read);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(4096)]
    public void A_packet_over_the_limit_fails_the_read_before_the_reader_sees_its_length(int chunk)
    {
        var small = Packet(100);
        var wire = small.Concat(Packet(50 * 1024 * 1024, withBody: false)).ToArray();
        var (read, oversized, error) = ReadAll(wire, 65536, chunk);
        Assert.IsType<IOException>(error);
        Assert.Equal(50 * 1024 * 1024, oversized);
        // Byte by byte, everything before the big packet's last length byte got through; never that byte.
        Assert.True(read < wire.Length);
        if (chunk == 1) Assert.Equal(wire.Length - 1, read);
    }
}
