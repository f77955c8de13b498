using System.Text;
using CommandCenter.DeviceGateway.Hj212;

namespace CommandCenter.DeviceGateway.Tests;

public sealed class Hj212CodecTests
{
    private const string RealTime =
        "QN=20261130084500123;ST=22;CN=2011;PW=monitor-secret-0001;MN=BY0001;Flag=5;CP=&&DataTime=20261130084500;a34004-Rtd=35.2,a34004-Flag=N;a21026-Rtd=12.0,a21026-Flag=T&&";

    /// <summary>The standard's CRC written out bit by bit, apart from the code under test, as an oracle.</summary>
    private static int ReferenceCrc(string text)
    {
        var reg = 0xFFFF;
        foreach (var b in Encoding.ASCII.GetBytes(text))
        {
            reg = (reg >> 8) ^ b;
            for (var i = 0; i < 8; i++)
            {
                var carry = reg & 1;
                reg >>= 1;
                if (carry == 1) reg ^= 0xA001;
            }
        }
        return reg;
    }

    private static byte[] Frame(string data, string? crc = null) =>
        Encoding.ASCII.GetBytes($"##{data.Length:D4}{data}{crc ?? ReferenceCrc(data).ToString("X4")}\r\n");

    [Fact]
    public void Crc_matches_the_algorithm_of_the_standard_worked_by_hand()
    {
        // One byte by hand: 0xFFFF >> 8 = 0x00FF, ^ 'A' (0x41) = 0x00BE; then, shifting right and folding in 0xA001
        // whenever the bit shifted out is 1: 005F, A02E, 5017, 880A, 4405, 8203, E100, 7080.
        Assert.Equal(0x7080, Hj212Crc.Compute("A"u8));
        Assert.Equal(0x7080, ReferenceCrc("A"));
        Assert.Equal(ReferenceCrc(RealTime), Hj212Crc.Compute(Encoding.ASCII.GetBytes(RealTime)));
        Assert.Equal(0xFFFF, Hj212Crc.Compute([]));
    }

    [Fact]
    public void Encode_writes_length_data_upper_case_crc_and_crlf()
    {
        var frame = Encoding.ASCII.GetString(Hj212Frame.Encode(RealTime));
        Assert.Equal($"##{RealTime.Length:D4}{RealTime}{ReferenceCrc(RealTime):X4}\r\n", frame);
        Assert.Equal(frame.ToUpperInvariant()[^6..], frame[^6..]);
    }

    [Fact]
    public void Reader_finds_frames_across_partial_reads_and_several_in_one_read()
    {
        var reader = new Hj212FrameReader(1024);
        var bytes = Frame(RealTime);
        var found = new List<Hj212ReadResult>();
        foreach (var b in bytes) found.AddRange(reader.Feed([b]));
        Assert.Equal(RealTime, Assert.Single(found).DataSegment);

        var two = reader.Feed([.. Frame(RealTime), .. Frame("QN=1;ST=22;CN=2011;PW=x;MN=y;Flag=4;CP=&&&&")]);
        Assert.Equal(2, two.Count);
        Assert.All(two, r => Assert.True(r.IsFrame));
    }

    [Fact]
    public void Reader_skips_and_reports_garbage_a_bad_length_and_a_bad_crc_then_reads_the_next_frame()
    {
        var reader = new Hj212FrameReader(1024);
        var results = reader.Feed([.. "noise\r\n"u8, .. "##12x4"u8, .. Frame(RealTime, "0000"), .. Frame(RealTime)]);
        Assert.Contains(results, r => r.Error == Hj212FrameError.Garbage);
        Assert.Contains(results, r => r.Error == Hj212FrameError.Length);
        Assert.Contains(results, r => r.Error == Hj212FrameError.Crc);
        Assert.Equal(RealTime, results.Single(r => r.IsFrame).DataSegment);
    }

    [Fact]
    public void Reader_refuses_a_frame_longer_than_the_maximum_without_buffering_it()
    {
        var reader = new Hj212FrameReader(100);
        var results = reader.Feed(Frame(RealTime));
        Assert.Contains(results, r => r.Error == Hj212FrameError.Oversized);
        Assert.DoesNotContain(results, r => r.IsFrame);
        var small = "QN=1;ST=22;CN=2011;PW=x;MN=y;Flag=4;CP=&&&&";
        Assert.Equal(small, Assert.Single(reader.Feed(Frame(small)), r => r.IsFrame).DataSegment);
    }

    [Fact]
    public void Packet_and_cp_are_read_with_flags_and_periods()
    {
        var packet = Hj212PacketParser.Parse(RealTime);
        Assert.Equal(("20261130084500123", "22", "2011", "monitor-secret-0001", "BY0001", 5), (packet.Qn, packet.St, packet.Cn, packet.Pw, packet.Mn, packet.Flag));
        Assert.True(packet.WantsReply);
        var data = Hj212CpParser.Parse(packet.Cp, 64);
        Assert.Equal(new DateTime(2026, 11, 30, 8, 45, 0), data.DataTime);
        Assert.Equal(35.2, data.Values["a34004"].Rtd);
        Assert.Equal("T", data.Values["a21026"].Flag);

        var hour = Hj212CpParser.Parse("DataTime=20261130080000;a21026-Avg=20.5,a21026-Min=10.1,a21026-Max=40.0,a21026-Flag=N", 64);
        Assert.Equal((20.5, 10.1, 40.0), (hour.Values["a21026"].Avg!.Value, hour.Values["a21026"].Min!.Value, hour.Values["a21026"].Max!.Value));

        Assert.Throws<Hj212FormatException>(() => Hj212PacketParser.Parse("QN=1;ST=22;CN=2011;MN=y;Flag=4;CP=&&&&"));
        Assert.Throws<Hj212FormatException>(() => Hj212CpParser.Parse("DataTime=20261130;a34004-Rtd=1", 64));
        Assert.Throws<Hj212FormatException>(() => Hj212CpParser.Parse("DataTime=20261130080000;a34004-Rtd=1,a34004-Flag=Q", 64));
    }

    [Fact]
    public void Split_parts_are_joined_once_complete_and_bounded()
    {
        var options = new Hj212Options { MaxPendingSplits = 1 };
        var splits = new Hj212SplitPackets(options, TimeProvider.System);
        var part1 = Hj212PacketParser.Parse("QN=7;ST=22;CN=2011;PW=p;MN=m;Flag=6;PNUM=2;PNO=1;CP=&&DataTime=20261130084500;a34004-Rtd=1&&");
        var part2 = Hj212PacketParser.Parse("QN=7;ST=22;CN=2011;PW=p;MN=m;Flag=6;PNUM=2;PNO=2;CP=&&a34002-Rtd=2&&");
        Assert.Null(splits.Add(part2, out _));
        var whole = splits.Add(part1, out _);
        Assert.Equal("DataTime=20261130084500;a34004-Rtd=1;a34002-Rtd=2", whole!.Cp);

        Assert.Null(splits.Add(part1, out _));
        Assert.Null(splits.Add(part1 with { Qn = "8" }, out var dropped));
        Assert.Equal(1, dropped);
    }

    [Fact]
    public void A_part_announcing_another_part_count_for_a_pending_qn_drops_what_was_collected_and_counts_it()
    {
        var splits = new Hj212SplitPackets(new Hj212Options(), TimeProvider.System);
        var part1 = Hj212PacketParser.Parse("QN=9;ST=22;CN=2011;PW=p;MN=m;Flag=6;PNUM=3;PNO=1;CP=&&DataTime=20261130084500;a34004-Rtd=1&&");
        Assert.Null(splits.Add(part1, out var none));
        Assert.Equal(0, none);
        Assert.Null(splits.Add(part1 with { PartCount = 2 }, out var dropped));
        Assert.Equal(1, dropped);
        Assert.Equal(1, splits.Count);
    }

    [Fact]
    public void Reply_is_a_9014_system_frame_with_the_same_qn()
    {
        var reply = Encoding.ASCII.GetString(Hj212Reply.Frame(Hj212PacketParser.Parse(RealTime)));
        const string data = "QN=20261130084500123;ST=91;CN=9014;PW=monitor-secret-0001;MN=BY0001;Flag=4;CP=&&&&";
        Assert.Equal($"##{data.Length:D4}{data}{ReferenceCrc(data):X4}\r\n", reply);
    }
}
