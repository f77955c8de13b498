using System.Net.Sockets;
using CommandCenter.DeviceGateway.Contract;

namespace CommandCenter.DeviceGateway.Hj212;

/// <summary>
/// One monitor connection (or a data collector carrying several monitors): reads frames, hands each on in order,
/// answers those that ask for a reply. Nothing a peer sends ends the connection except silence past the idle
/// timeout; a bad frame is counted and skipped, and the next frame is read as usual.
/// </summary>
public sealed class Hj212Connection(Stream stream, string peer, System.Net.IPAddress? address, Hj212Ingest ingest, GatewayStats stats, Hj212Options options, TimeProvider clock)
{
    private readonly Hj212FrameReader _reader = new(options.MaxDataLength);
    private readonly Hj212SplitPackets _splits = new(options, clock);

    public async Task Serve(CancellationToken stopping)
    {
        var buffer = new byte[4096];
        try
        {
            while (true)
            {
                int read;
                using (var idle = CancellationTokenSource.CreateLinkedTokenSource(stopping))
                {
                    idle.CancelAfter(options.IdleTimeout);
                    try { read = await stream.ReadAsync(buffer, idle.Token); }
                    catch (OperationCanceledException) when (!stopping.IsCancellationRequested) { return; }
                }
                if (read == 0) return;
                foreach (var result in _reader.Feed(buffer.AsSpan(0, read)))
                {
                    if (result.IsFrame) await Handle(result.DataSegment!, stopping);
                    else Reject(FrameReason(result.Error), result.Detail!, "frame");
                }
                DropSplits(_splits.Expire(), "not complete within " + options.SplitTimeout);
            }
        }
        catch (Exception e) when (e is IOException or SocketException or ObjectDisposedException) { }
        finally
        {
            DropSplits(_splits.Count, "the connection closed first");
        }
    }

    private async Task Handle(string data, CancellationToken stopping)
    {
        Hj212Packet packet;
        try
        {
            packet = Hj212PacketParser.Parse(data);
        }
        catch (Hj212FormatException e)
        {
            Reject(RejectReason.Field, e.Message, "packet");
            return;
        }
        var where = $"MN={packet.Mn} CN={packet.Cn}";
        try
        {
            await ingest.Authenticate(packet, address);
            if (packet.IsSplit)
            {
                if (packet.PartCount > options.MaxSplitParts)
                    throw new RejectedMessageException(RejectReason.Limit, $"PNUM {packet.PartCount} is over {options.MaxSplitParts}");
                var whole = _splits.Add(packet, out var dropped);
                DropSplits(dropped, $"more than {options.MaxPendingSplits} pending at once");
                if (whole is not null) await ingest.Apply(whole);
            }
            else
            {
                await ingest.Apply(packet);
            }
        }
        catch (RejectedMessageException rejection)
        {
            stats.Rejected(peer, where, rejection);
            return;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            stats.Failed(e, where);
            return;
        }
        // Replied only once taken: a monitor without its reply sends again, which is what a lost packet needs.
        if (packet.WantsReply) await stream.WriteAsync(Hj212Reply.Frame(packet), stopping);
    }

    private void DropSplits(int count, string why)
    {
        for (var i = 0; i < count; i++) Reject(RejectReason.Split, $"split packet dropped: {why}", "split");
    }

    private void Reject(RejectReason reason, string detail, string what) =>
        stats.Rejected(peer, $"hj212 {what}", new RejectedMessageException(reason, detail));

    private static RejectReason FrameReason(Hj212FrameError error) => error switch
    {
        Hj212FrameError.Crc => RejectReason.Crc,
        Hj212FrameError.Oversized => RejectReason.Oversized,
        _ => RejectReason.Frame,
    };
}
