namespace CommandCenter.DeviceGateway.Hj212;

/// <summary>
/// The HJ 212-2017 check sum: CRC-16 with the reflected polynomial 0xA001, register starting at 0xFFFF,
/// each byte folded into the low end of the register before eight shifts (the standard's appendix A).
/// </summary>
public static class Hj212Crc
{
    public static ushort Compute(ReadOnlySpan<byte> data)
    {
        var register = 0xFFFF;
        foreach (var b in data)
        {
            register = (register >> 8) ^ b;
            for (var bit = 0; bit < 8; bit++)
                register = (register & 1) != 0 ? (register >> 1) ^ 0xA001 : register >> 1;
        }
        return (ushort)register;
    }
}
