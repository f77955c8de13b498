using CommandCenter.DeviceGateway.Mqtt;

namespace CommandCenter.DeviceGateway.Tests;

public sealed class ReadAheadStreamTests
{
    /// <summary>A socket-like stream that counts the reads that asked for bytes (zero-byte reads only wait for data).</summary>
    private sealed class CountingStream(byte[] data) : MemoryStream(data)
    {
        public int Reads { get; private set; }

        public override ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (!buffer.IsEmpty) Reads++;
            return base.ReadAsync(buffer, cancellationToken);
        }
    }

    [Fact]
    public async Task Small_reads_get_the_same_bytes_in_order_from_few_reads_of_the_socket()
    {
        var wire = Enumerable.Range(0, 10_000).Select(i => (byte)(i * 7)).ToArray();
        var socket = new CountingStream(wire);
        await using var stream = new ReadAheadStream(socket, bufferBytes: 1024);

        var received = new List<byte>();
        var piece = new byte[3];
        int read;
        while ((read = await stream.ReadAsync(piece.AsMemory(0, 1 + received.Count % 3))) > 0) received.AddRange(piece[..read]);

        Assert.Equal(wire, received);
        // One read of the socket per buffer filled (and one that finds the end), not one per piece asked for.
        Assert.Equal(wire.Length / 1024 + 2, socket.Reads);
    }

    [Fact]
    public async Task A_read_as_large_as_the_buffer_goes_straight_to_the_socket()
    {
        var wire = new byte[5000];
        Random.Shared.NextBytes(wire);
        await using var stream = new ReadAheadStream(new MemoryStream(wire), bufferBytes: 1024);
        var head = new byte[10];
        Assert.Equal(10, await stream.ReadAsync(head));
        var rest = new byte[4990];
        var total = 0;
        while (total < rest.Length)
        {
            var read = await stream.ReadAsync(rest.AsMemory(total));
            Assert.True(read > 0);
            total += read;
        }
        Assert.Equal(wire, head.Concat(rest).ToArray());
        Assert.Equal(0, await stream.ReadAsync(new byte[1]));
    }
}
