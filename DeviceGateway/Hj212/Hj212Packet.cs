using System.Globalization;

namespace CommandCenter.DeviceGateway.Hj212;

/// <summary>
/// One data segment: <c>QN=…;ST=..;CN=....;PW=…;MN=…;Flag=.;[PNUM=..;PNO=..;]CP=&amp;&amp;…&amp;&amp;</c>.
/// <see cref="Cp"/> is the text between the two <c>&amp;&amp;</c> pairs, read by <see cref="Hj212CpParser"/>.
/// </summary>
public sealed record Hj212Packet(string Qn, string St, string Cn, string Pw, string Mn, int Flag, int? PartCount, int? PartNumber, string Cp)
{
    /// <summary>Flag bit 0 (A): the monitor asks for a reply.</summary>
    public bool WantsReply => (Flag & 1) != 0;

    /// <summary>Flag bit 1 (D): the packet is one part of several (PNUM/PNO present).</summary>
    public bool IsSplit => PartCount is > 1;
}

/// <summary>Reads the header fields of a data segment; the CP part is left as text.</summary>
public static class Hj212PacketParser
{
    private const string CpStart = "CP=&&";
    private const string CpEnd = "&&";

    /// <exception cref="Hj212FormatException">A field is missing or malformed.</exception>
    public static Hj212Packet Parse(string data)
    {
        // CP comes last and may contain ';' and '=', so cut it off before splitting the header.
        var cpAt = data.IndexOf(CpStart, StringComparison.Ordinal);
        if (cpAt < 0 || !data.EndsWith(CpEnd, StringComparison.Ordinal) || data.Length < cpAt + CpStart.Length + CpEnd.Length)
            throw new Hj212FormatException("the data segment does not end in CP=&&…&&");
        var cp = data[(cpAt + CpStart.Length)..^CpEnd.Length];
        var fields = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var part in data[..cpAt].Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = part.IndexOf('=');
            if (eq <= 0) throw new Hj212FormatException($"header field '{LogText.Safe(part, 32)}' is not NAME=value");
            if (!fields.TryAdd(part[..eq], part[(eq + 1)..]))
                throw new Hj212FormatException($"header field '{LogText.Safe(part[..eq], 16)}' appears twice");
        }
        var flag = Number(fields, "Flag", required: false) ?? 0;
        var partCount = Number(fields, "PNUM", required: false);
        var partNumber = Number(fields, "PNO", required: false);
        if (partCount is not null != partNumber is not null)
            throw new Hj212FormatException("PNUM and PNO come together");
        if (partCount is { } n && (n < 1 || partNumber < 1 || partNumber > n))
            throw new Hj212FormatException($"PNO {partNumber} is outside 1..PNUM {n}");
        return new Hj212Packet(Required(fields, "QN"), Required(fields, "ST"), Required(fields, "CN"),
            Required(fields, "PW"), Required(fields, "MN"), flag, partCount, partNumber, cp);
    }

    private static string Required(Dictionary<string, string> fields, string name) =>
        fields.TryGetValue(name, out var value) && value.Length > 0
            ? value
            : throw new Hj212FormatException($"header field {name} is missing");

    private static int? Number(Dictionary<string, string> fields, string name, bool required)
    {
        if (!fields.TryGetValue(name, out var text)) return required ? throw new Hj212FormatException($"header field {name} is missing") : null;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) && value <= 9999
            ? value
            : throw new Hj212FormatException($"{name} '{LogText.Safe(text, 16)}' is not a number");
    }
}

public sealed class Hj212FormatException(string message) : Exception(message);
