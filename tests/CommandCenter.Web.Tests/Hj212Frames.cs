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
}
