using System.Net.Sockets;
using System.Text;

namespace CommandCenter.Web.Tests;

/// <summary>
/// HJ 212-2017 frames built by the tests from the standard's format, with the test's own CRC, so that the
/// gateway's codec is checked against the standard rather than against itself.
/// </summary>
public static class Hj212Frames
{
    public static readonly TimeSpan ChinaTime = TimeSpan.FromHours(8);

    public static int Crc(byte[] data)
    {
        var reg = 0xFFFF;
        foreach (var b in data)
        {
            reg = (reg >> 8) ^ b;
            for (var i = 0; i < 8; i++) reg = (reg & 1) == 1 ? (reg >> 1) ^ 0xA001 : reg >> 1;
        }
        return reg;
    }

    public static byte[] Frame(string data, bool corruptCrc = false)
    {
        var crc = Crc(Encoding.ASCII.GetBytes(data)) ^ (corruptCrc ? 0x0101 : 0);
        return Encoding.ASCII.GetBytes($"##{data.Length:D4}{data}{crc:X4}\r\n");
    }

    public static string Qn(DateTimeOffset at) => at.ToOffset(ChinaTime).ToString("yyyyMMddHHmmssfff");
    public static string DataTime(DateTimeOffset at) => at.ToOffset(ChinaTime).ToString("yyyyMMddHHmmss");

    public static string Packet(string mn, string pw, string cn, DateTimeOffset at, string cp, int flag = 5, string? split = null, string? dataTime = null) =>
        $"QN={Qn(at)};ST=22;CN={cn};PW={pw};MN={mn};Flag={flag};{split}CP=&&DataTime={dataTime ?? DataTime(at)};{cp}&&";

    /// <summary>Reads one reply frame up to CR LF, or null when none comes within a few seconds.</summary>
    public static async Task<string?> ReadReply(NetworkStream stream, TimeSpan? wait = null)
    {
        using var timeout = new CancellationTokenSource(wait ?? TimeSpan.FromSeconds(15));
        var line = new List<byte>();
        var one = new byte[1];
        try
        {
            while (!(line.Count >= 2 && line[^2] == '\r' && line[^1] == '\n'))
            {
                if (await stream.ReadAsync(one, timeout.Token) == 0) return null;
                line.Add(one[0]);
            }
        }
        catch (OperationCanceledException) { return null; }
        return Encoding.ASCII.GetString([.. line]);
    }
}
