using System.Globalization;
using System.Text;

namespace CommandCenter.Simulators.Hj212;

/// <summary>
/// A real-time data upload (CN 2011) as a monitor frames it: <c>##</c>, the data segment's length in four digits,
/// the data segment, its CRC-16 (0xA001 reflected, start 0xFFFF) in four upper-case hex digits, CR LF.
/// Written here from the standard rather than shared with the gateway, so the simulator checks the gateway's reading of it.
/// </summary>
public static class Hj212Upload
{
    /// <summary>ST 22: ambient air quality.</summary>
    private const string AmbientAir = "22";
    /// <summary>Protocol version bits for 2017, no reply requested: the next report replaces a lost one.</summary>
    private const int Flag = 4;

    public static byte[] RealTime(string mn, string pw, DateTimeOffset deviceTime, IReadOnlyDictionary<string, double> values)
    {
        var cp = new StringBuilder($"DataTime={deviceTime:yyyyMMddHHmmss}");
        foreach (var (code, value) in values)
            cp.Append(CultureInfo.InvariantCulture, $";{code}-Rtd={value},{code}-Flag=N");
        var data = $"QN={deviceTime:yyyyMMddHHmmssfff};ST={AmbientAir};CN=2011;PW={pw};MN={mn};Flag={Flag};CP=&&{cp}&&";
        var bytes = Encoding.ASCII.GetBytes(data);
        return Encoding.ASCII.GetBytes($"##{bytes.Length:D4}{data}{Crc(bytes):X4}\r\n");
    }

    private static int Crc(byte[] data)
    {
        var register = 0xFFFF;
        foreach (var b in data)
        {
            register = (register >> 8) ^ b;
            for (var bit = 0; bit < 8; bit++) register = (register & 1) != 0 ? (register >> 1) ^ 0xA001 : register >> 1;
        }
        return register;
    }
}
